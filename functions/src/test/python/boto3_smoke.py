"""Drives Eddy with boto3 and the AWS CLI, as a Python user would; exits non-zero on any mismatch.

botocore checks every response's x-amz-crc32 header, so a wrong checksum fails here too.
Usage: python3 boto3_smoke.py http://127.0.0.1:PORT
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
table = "boto3-" + uuid.uuid4().hex[:8]

client.create_table(
    TableName=table,
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
    BillingMode="PAY_PER_REQUEST",
)
client.get_waiter("table_exists").wait(TableName=table, WaiterConfig={"Delay": 1, "MaxAttempts": 30})

# The resource layer converts Python values; numbers come back as Decimal.
resource = session.resource("dynamodb", endpoint_url=endpoint)
t = resource.Table(table)
t.put_item(Item={"pk": "a", "sk": 1, "price": __import__("decimal").Decimal("1.50"), "tags": {"x", "y"},
                 "doc": {"nested": [1, "two", None, True]}, "raw": b"\x00\x01"})
item = t.get_item(Key={"pk": "a", "sk": 1}, ConsistentRead=True)["Item"]
assert str(item["price"]) == "1.5", item
assert item["tags"] == {"x", "y"}, item
assert item["doc"]["nested"][1] == "two", item
assert bytes(item["raw"].value) == b"\x00\x01", item

updated = client.update_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"N": "1"}},
                             AttributeUpdates={"count": {"Action": "ADD", "Value": {"N": "2"}}},
                             ReturnValues="UPDATED_NEW")
assert updated["Attributes"] == {"count": {"N": "2"}}, updated

try:
    client.put_item(TableName=table, Item={"pk": {"N": "1"}, "sk": {"N": "1"}})
    raise AssertionError("a wrong key type was accepted")
except ClientError as e:
    assert e.response["Error"]["Code"] == "ValidationException", e.response
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response
    assert e.response["Error"]["Message"] == \
        "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N", e.response

try:
    client.describe_table(TableName="no-such-table")
    raise AssertionError("a missing table was described")
except ClientError as e:
    assert e.response["Error"]["Code"] == "ResourceNotFoundException", e.response

# The stream, through boto3's own DynamoDB Streams client on the same endpoint.
client.update_table(TableName=table, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
client.put_item(TableName=table, Item={"pk": {"S": "s"}, "sk": {"N": "7"}, "v": {"S": "streamed"}})
streams = session.client("dynamodbstreams", endpoint_url=endpoint)
arn = client.describe_table(TableName=table)["Table"]["LatestStreamArn"]
assert any(s["StreamArn"] == arn for s in streams.list_streams(TableName=table)["Streams"])
shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
records = []
for _ in range(100):
    page = streams.get_records(ShardIterator=iterator)
    records += page["Records"]
    iterator = page["NextShardIterator"]
    if records:
        break
    __import__("time").sleep(0.1)
assert [r["eventName"] for r in records] == ["INSERT"], records
assert records[0]["dynamodb"]["NewImage"]["v"] == {"S": "streamed"}, records

# The AWS CLI, as the README shows it.
env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")
out = subprocess.run(["aws", "--endpoint-url", endpoint, "dynamodb", "get-item", "--table-name", table,
                      "--consistent-read", "--key", '{"pk":{"S":"a"},"sk":{"N":"1"}}'],
                     check=True, capture_output=True, text=True, env=env).stdout
assert json.loads(out)["Item"]["count"] == {"N": "2"}, out

client.delete_table(TableName=table)
client.get_waiter("table_not_exists").wait(TableName=table, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
print("boto3 and AWS CLI: ok")
