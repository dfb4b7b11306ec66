"""boto3 and the AWS CLI against Eddy with authentication on: the right key is served, and every
wrong one gets DynamoDB's error (type, message, HTTP status). Exits non-zero on any mismatch.

Usage: python3 auth_clients.py http://127.0.0.1:PORT ADMIN_KEY ADMIN_SECRET READER_KEY READER_SECRET
"""
import json
import os
import subprocess
import sys
import uuid

import boto3
from botocore.exceptions import ClientError

endpoint, admin_key, admin_secret, reader_key, reader_secret = sys.argv[1:6]
MISMATCH = ("The request signature we calculated does not match the signature you provided. Check your AWS Secret "
            "Access Key and signing method. Consult the service documentation for details.")


def client(key, secret, region="us-east-1", token=None):
    return boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token,
                                 region_name=region).client("dynamodb", endpoint_url=endpoint)


def refused(call, code, message=None):
    try:
        call()
    except ClientError as e:
        assert e.response["Error"]["Code"] == code, e.response
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response
        if message is not None:
            assert e.response["Error"]["Message"] == message, e.response
        return e.response["Error"]["Message"]
    raise AssertionError("accepted, expected " + code)


admin = client(admin_key, admin_secret)
table = "Shared-py-" + uuid.uuid4().hex[:8]
admin.create_table(TableName=table, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
admin.get_waiter("table_exists").wait(TableName=table, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
admin.put_item(TableName=table, Item={"pk": {"S": "a"}})

refused(lambda: client(admin_key, "wrong").list_tables(), "InvalidSignatureException", MISMATCH)
refused(lambda: client("AKIDNOBODY", "x").list_tables(), "UnrecognizedClientException",
        "The security token included in the request is invalid.")
refused(lambda: client(admin_key, admin_secret, region="eu-west-1").list_tables(), "InvalidSignatureException",
        "Credential should be scoped to a valid region, not 'eu-west-1'. ")
refused(lambda: client(admin_key, admin_secret, token="no-such-token").list_tables(), "UnrecognizedClientException")

reader = client(reader_key, reader_secret)
assert reader.get_item(TableName=table, Key={"pk": {"S": "a"}}, ConsistentRead=True)["Item"]["pk"] == {"S": "a"}
message = refused(lambda: reader.put_item(TableName=table, Item={"pk": {"S": "b"}}), "AccessDeniedException")
assert message.endswith("because no identity-based policy allows the dynamodb:PutItem action"), message

# The AWS CLI with the same keys, from the environment as a user sets them.
def cli(key, secret, *args):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret, AWS_DEFAULT_REGION="us-east-1")
    env.pop("AWS_SESSION_TOKEN", None)
    return subprocess.run(["aws", "--endpoint-url", endpoint, "dynamodb", *args], capture_output=True, text=True,
                          env=env)


ok = cli(admin_key, admin_secret, "get-item", "--table-name", table, "--consistent-read", "--key", '{"pk":{"S":"a"}}')
assert ok.returncode == 0, ok.stderr
assert json.loads(ok.stdout)["Item"]["pk"] == {"S": "a"}, ok.stdout
bad = cli(admin_key, "wrong", "list-tables")
assert bad.returncode != 0 and "(InvalidSignatureException)" in bad.stderr, bad.stderr
denied = cli(reader_key, reader_secret, "delete-table", "--table-name", table)
assert denied.returncode != 0 and "(AccessDeniedException)" in denied.stderr, denied.stderr
assert "with an explicit deny in an identity-based policy" in denied.stderr, denied.stderr

admin.delete_table(TableName=table)
print("boto3 and AWS CLI with authentication: ok")
