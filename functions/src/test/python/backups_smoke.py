"""On-demand backups as backup scripts drive them, through boto3 and the AWS CLI: create a backup,
wait for it, page through list_backups with boto3's paginator, restore it under a new name, and
delete it. Exits non-zero on any mismatch.
Usage: python3 backups_smoke.py http://127.0.0.1:PORT
"""
import json
import os
import subprocess
import sys
import time
import uuid

import boto3

endpoint = sys.argv[1]
session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
client = session.client("dynamodb", endpoint_url=endpoint)
table = "scripted-" + uuid.uuid4().hex[:8]

client.create_table(
    TableName=table,
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    BillingMode="PAY_PER_REQUEST",
)
client.get_waiter("table_exists").wait(TableName=table, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
for i in range(30):
    client.put_item(TableName=table, Item={"pk": {"S": "item-%d" % i}, "n": {"N": str(i)}})


def wait_until(what, probe):
    deadline = time.time() + 120
    while time.time() < deadline:
        if probe():
            return
        time.sleep(0.5)
    raise AssertionError(what)


arns = []
for i in range(3):
    details = client.create_backup(TableName=table, BackupName="%s-%d" % (table, i))["BackupDetails"]
    assert details["BackupStatus"] == "CREATING", details
    assert details["BackupType"] == "USER", details
    arns.append(details["BackupArn"])
for arn in arns:
    wait_until("backup available", lambda: client.describe_backup(BackupArn=arn)["BackupDescription"]
               ["BackupDetails"]["BackupStatus"] == "AVAILABLE")

# boto3's paginator follows LastEvaluatedBackupArn as scripts do.
pages = client.get_paginator("list_backups").paginate(TableName=table, PaginationConfig={"PageSize": 2})
listed = [s["BackupArn"] for page in pages for s in page["BackupSummaries"]]
assert listed == arns, listed

restored = table + "-restored"
description = client.restore_table_from_backup(TargetTableName=restored, BackupArn=arns[0])["TableDescription"]
assert description["RestoreSummary"]["RestoreInProgress"] is True, description
client.get_waiter("table_exists").wait(TableName=restored, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
wait_until("restore finished", lambda: client.describe_table(TableName=restored)["Table"]["TableStatus"] == "ACTIVE")
summary = client.describe_table(TableName=restored)["Table"]["RestoreSummary"]
assert summary["SourceBackupArn"] == arns[0] and summary["RestoreInProgress"] is False, summary
items = client.scan(TableName=restored, ConsistentRead=True)["Items"]
assert sorted(int(i["n"]["N"]) for i in items) == list(range(30)), items

# The AWS CLI, as an operator runs it.
env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")
cli = json.loads(subprocess.run(["aws", "--endpoint-url", endpoint, "dynamodb", "describe-backup", "--backup-arn", arns[1]],
                                check=True, capture_output=True, env=env).stdout)
assert cli["BackupDescription"]["SourceTableDetails"]["TableName"] == table, cli
for arn in arns:
    assert client.delete_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]["BackupStatus"] == "DELETED"
try:
    client.describe_backup(BackupArn=arns[0])
    raise AssertionError("a deleted backup is gone")
except client.exceptions.BackupNotFoundException:
    pass
print("backups: ok")
