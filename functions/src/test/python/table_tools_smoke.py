"""What infrastructure tools (Terraform's AWS provider, CloudFormation, the AWS CLI) call on every
table, through boto3 and the AWS CLI: tags, continuous backups, and the features Eddy answers as not
in use. Exits non-zero on any mismatch.
Usage: python3 table_tools_smoke.py http://127.0.0.1:PORT
"""
import json
import os
import subprocess
import sys
import uuid

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
client = session.client("dynamodb", endpoint_url=endpoint)
table = "tools-" + uuid.uuid4().hex[:8]

arn = client.create_table(
    TableName=table,
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    BillingMode="PAY_PER_REQUEST",
    Tags=[{"Key": "env", "Value": "test"}],
)["TableDescription"]["TableArn"]
client.get_waiter("table_exists").wait(TableName=table, WaiterConfig={"Delay": 1, "MaxAttempts": 30})

client.tag_resource(ResourceArn=arn, Tags=[{"Key": "owner", "Value": "data-team"}])
# boto3's paginator follows NextToken as tools do.
pages = client.get_paginator("list_tags_of_resource").paginate(ResourceArn=arn)
tags = {t["Key"]: t["Value"] for page in pages for t in page["Tags"]}
assert tags == {"env": "test", "owner": "data-team"}, tags
client.untag_resource(ResourceArn=arn, TagKeys=["env"])
assert client.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "owner", "Value": "data-team"}]

backups = client.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED", backups
try:
    client.update_continuous_backups(TableName=table,
                                     PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    raise AssertionError("enabling point-in-time recovery must be refused")
except client.exceptions.ContinuousBackupsUnavailableException:
    pass

assert client.describe_contributor_insights(TableName=table)["ContributorInsightsStatus"] == "DISABLED"
assert client.describe_kinesis_streaming_destination(TableName=table)["KinesisDataStreamDestinations"] == []
assert client.list_global_tables()["GlobalTables"] == []
try:
    client.describe_global_table(GlobalTableName=table)
    raise AssertionError("a regional table is no global table")
except client.exceptions.GlobalTableNotFoundException:
    pass
try:
    client.get_resource_policy(ResourceArn=arn)
    raise AssertionError("no table has a resource policy")
except client.exceptions.PolicyNotFoundException:
    pass
assert client.describe_limits()["TableMaxReadCapacityUnits"] == 40000

# The AWS CLI, as a person runs it.
env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")


def aws(*args):
    out = subprocess.run(["aws", "--endpoint-url", endpoint, "--output", "json", "dynamodb", *args],
                         env=env, capture_output=True, text=True)
    return out.returncode, out.stdout, out.stderr


code, out, err = aws("tag-resource", "--resource-arn", arn, "--tags", "Key=cli,Value=yes")
assert code == 0, err
code, out, err = aws("list-tags-of-resource", "--resource-arn", arn)
assert code == 0 and {"Key": "cli", "Value": "yes"} in json.loads(out)["Tags"], (out, err)
code, out, err = aws("describe-continuous-backups", "--table-name", table)
assert code == 0 and json.loads(out)["ContinuousBackupsDescription"]["ContinuousBackupsStatus"] == "DISABLED", (out, err)
code, out, err = aws("tag-resource", "--resource-arn", arn, "--tags", "Key=aws:x,Value=y")
assert code != 0 and "Tag Key cannot be prefixed with aws:" in err, err

client.delete_table(TableName=table)
print("table tools: ok")
