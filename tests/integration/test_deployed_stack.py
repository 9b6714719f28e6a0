"""The deployed stack is the template: what moto's CloudFormation and the local stack's
post-deployment steps produced must match the transformed template's own properties, and
every permission the handler needs must come from the template (IAM is enforced)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.model import OperationModel
from mypy_boto3_cloudformation import CloudFormationClient
from mypy_boto3_cloudwatch import CloudWatchClient
from mypy_boto3_iam import IAMClient
from mypy_boto3_lambda import LambdaClient
from mypy_boto3_s3 import S3Client
from mypy_boto3_sqs import SQSClient

from conftest import wait_until
from local_deploy import load_template, set_iam_enforcement
from local_stack import CLEAN_BUCKET, RAW_BUCKET, LocalStack

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def resources_of(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


def test_moto_keeps_every_property_the_local_stack_relies_on(start_stack: Callable[..., LocalStack]) -> None:
    """Fails when a moto release drops (or the local stack stops applying) a property: each
    expected value is the transformed template's, resolved; each actual one is read back."""
    stack = start_stack()
    # The read-backs need no IAM, and moto's signature check refuses some Lambda reads (GetFunction).
    set_iam_enforcement(stack.endpoint, False)
    deployment = stack.deployment
    assert deployment is not None
    template, resolve = deployment.template, deployment.resolver.resolve
    ids = deployment.resolver.physical_ids
    sqs: SQSClient = stack.client("sqs")
    lam: LambdaClient = stack.client("lambda")
    iam: IAMClient = stack.client("iam")
    s3: S3Client = stack.client("s3")
    cloudwatch: CloudWatchClient = stack.client("cloudwatch")
    cfn: CloudFormationClient = stack.client("cloudformation")

    # Nothing in the template is silently skipped: created by the stack or applied afterwards.
    created = {
        r["LogicalResourceId"] for r in cfn.list_stack_resources(StackName="text-normaliser")["StackResourceSummaries"]
    }
    assert set(template["Resources"]) == created | set(deployment.applied_after)

    queue = resolve(template["Resources"]["PagesQueue"]["Properties"])
    attributes = sqs.get_queue_attributes(QueueUrl=stack.queue_url, AttributeNames=["All"])["Attributes"]
    assert int(attributes["VisibilityTimeout"]) == int(queue["VisibilityTimeout"])
    assert int(attributes["MessageRetentionPeriod"]) == int(queue["MessageRetentionPeriod"])
    redrive = json.loads(attributes["RedrivePolicy"])
    assert int(redrive["maxReceiveCount"]) == int(queue["RedrivePolicy"]["maxReceiveCount"])
    assert redrive["deadLetterTargetArn"] == queue["RedrivePolicy"]["deadLetterTargetArn"]
    assert "Policy" in attributes  # the queue policy, applied after the stack

    function = resolve(template["Resources"]["NormaliseFunction"]["Properties"])
    deployed = lam.get_function(FunctionName=ids["NormaliseFunction"])["Configuration"]
    for name in ("Handler", "Runtime", "Timeout", "MemorySize", "Role"):
        assert deployed[name] == function[name], name
    assert {k: str(v) for k, v in deployed["Environment"]["Variables"].items()} == {
        k: str(v) for k, v in function["Environment"]["Variables"].items()
    }
    assert deployment.function == deployed  # what the worker runs with

    (mapping,) = resources_of(template, "AWS::Lambda::EventSourceMapping").values()
    expected = resolve(mapping["Properties"])
    (deployed_mapping,) = lam.list_event_source_mappings(FunctionName=deployed["FunctionName"])["EventSourceMappings"]
    assert deployed_mapping["BatchSize"] == expected["BatchSize"]
    assert deployed_mapping["FunctionResponseTypes"] == expected["FunctionResponseTypes"]
    assert deployed_mapping["EventSourceArn"] == expected["EventSourceArn"]
    assert deployed_mapping["State"] == "Disabled"  # the worker polls instead
    invoke_config = lam.get_function_event_invoke_config(FunctionName=deployed["FunctionName"])
    assert (
        invoke_config["DestinationConfig"]["OnFailure"]["Destination"] == queue["RedrivePolicy"]["deadLetterTargetArn"]
    )

    for role_id, role in resources_of(template, "AWS::IAM::Role").items():
        if role_id not in ids:  # a role whose condition is false
            continue
        for policy in resolve(role["Properties"]).get("Policies", []):
            document = iam.get_role_policy(RoleName=ids[role_id], PolicyName=policy["PolicyName"])["PolicyDocument"]
            document = json.loads(document) if isinstance(document, str) else document
            assert document["Statement"] == policy["PolicyDocument"]["Statement"], (role_id, policy["PolicyName"])

    for bucket_id, bucket in resources_of(template, "AWS::S3::Bucket").items():
        props, name = resolve(bucket["Properties"]), ids[bucket_id]
        if "VersioningConfiguration" in props:
            assert s3.get_bucket_versioning(Bucket=name).get("Status") == props["VersioningConfiguration"]["Status"]
        assert "ServerSideEncryptionConfiguration" in s3.get_bucket_encryption(Bucket=name)
        assert (
            s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
            == props["PublicAccessBlockConfiguration"]
        )
        notifications = s3.get_bucket_notification_configuration(Bucket=name)
        wanted = props.get("NotificationConfiguration", {}).get("QueueConfigurations", [])
        assert [(c["QueueArn"], c["Events"]) for c in notifications.get("QueueConfigurations", [])] == [
            (c["Queue"], [c["Event"]]) for c in wanted
        ]

    alarms = {a["AlarmName"]: a for a in cloudwatch.describe_alarms()["MetricAlarms"]}
    for alarm_id, alarm in resources_of(template, "AWS::CloudWatch::Alarm").items():
        props = resolve(alarm["Properties"])
        deployed_alarm = alarms[ids[alarm_id]]
        assert (deployed_alarm["Namespace"], deployed_alarm["MetricName"], deployed_alarm["Threshold"]) == (
            props["Namespace"],
            props["MetricName"],
            float(props["Threshold"]),
        )
        assert deployed_alarm["Dimensions"] == props["Dimensions"]


# ---------------------------------------------------------------- permissions, enforced

# statement Sid, resource suffix to drop from it (None: the whole statement), the page dropped
# (None: a sample that normalises; b"": an empty page, rejected, which deletes its article),
# and the operation and object that must be refused.
PERMISSIONS = {
    "read raw pages": ("ReadRawPages", None, b"", "GetObject", f"{RAW_BUCKET}/page.txt"),
    "read its own earlier records": (
        "ReadExistingMetadataForIdempotence",
        None,
        b"",
        "HeadObject",
        f"{CLEAN_BUCKET}/metadata/page.txt.json",
    ),
    "write articles": ("WriteArticlesAndMetadata", "/text/*", None, "PutObject", f"{CLEAN_BUCKET}/text/page.txt.txt"),
    "write records": (
        "WriteArticlesAndMetadata",
        "/metadata/*",
        b"",
        "PutObject",
        f"{CLEAN_BUCKET}/metadata/page.txt.json",
    ),
    "delete articles": (
        "RemoveArticlesOfRejectedPages",
        None,
        b"",
        "DeleteObject",
        f"{CLEAN_BUCKET}/text/page.txt.txt",
    ),
}


def test_with_every_statement_the_same_pages_pass(start_stack: Callable[..., LocalStack]) -> None:
    """The control for the tests below: the pages they drop succeed with the template as it is."""
    stack = start_stack()
    s3: S3Client = stack.client("s3")
    s3.put_object(Bucket=RAW_BUCKET, Key="empty.txt", Body=b"")
    s3.put_object(Bucket=RAW_BUCKET, Key="page.txt", Body=(SAMPLES / "harbour-lights.txt").read_bytes())
    records = stack.wait_for_outputs(["empty.txt", "page.txt"], timeout=30)
    assert (records["empty.txt"]["status"], records["page.txt"]["status"]) == ("rejected", "normalised")
    assert stack.failed == 0


def without_permission(sid: str, resource_suffix: str | None) -> dict[str, Any]:
    """template.yaml with one statement (or one resource of it) removed from the function's policy."""
    template = copy.deepcopy(load_template())
    (policy,) = template["Resources"]["NormaliseFunction"]["Properties"]["Policies"]
    (statement,) = [s for s in policy["Statement"] if s.get("Sid") == sid]
    if resource_suffix is None:
        policy["Statement"].remove(statement)
    else:
        kept = [r for r in statement["Resource"] if not r["Fn::Sub"].endswith(resource_suffix)]
        assert len(kept) == len(statement["Resource"]) - 1
        statement["Resource"] = kept
    return template


@pytest.mark.parametrize("permission", sorted(PERMISSIONS))
def test_a_permission_missing_from_the_template_fails_the_page(
    start_stack: Callable[..., LocalStack], permission: str
) -> None:
    sid, resource_suffix, body, operation, target = PERMISSIONS[permission]
    stack = start_stack(template=without_permission(sid, resource_suffix))
    import app

    refused: list[tuple[str, str]] = []

    def record(http_response: AWSResponse, model: OperationModel, **_: Any) -> None:
        if http_response.status_code == 403:
            refused.append((model.name, http_response.url))

    app._s3().meta.events.register("after-call.s3", record)
    page = (SAMPLES / "harbour-lights.txt").read_bytes() if body is None else body
    stack.client("s3").put_object(Bucket=RAW_BUCKET, Key="page.txt", Body=page)
    assert wait_until(lambda: stack.failed >= 1, timeout=30), f"the page did not fail without {permission}"
    # Refused exactly where the statement would have allowed it, and nowhere else.
    assert refused and all(name == operation and url.endswith(target) for name, url in refused), refused
    listed = stack.client("s3").list_objects_v2(Bucket=CLEAN_BUCKET).get("Contents", [])
    assert "metadata/page.txt.json" not in [o["Key"] for o in listed]


def test_the_zipped_function_and_layer_are_enough_to_load_the_handler(tmp_path: Path) -> None:
    """The worker imports the handler from the source tree; this checks the zips the stack
    deploys hold everything it imports (the layer under python/, as Lambda mounts it)."""
    import io
    import os
    import subprocess
    import sys
    import zipfile

    from local_deploy import code_artifacts

    zips = code_artifacts(load_template())
    (function_zip,) = [body for logical_id, body in zips.items() if logical_id == "NormaliseFunction"]
    (layer_zip,) = [body for logical_id, body in zips.items() if logical_id != "NormaliseFunction"]
    zipfile.ZipFile(io.BytesIO(function_zip)).extractall(tmp_path / "task")
    zipfile.ZipFile(io.BytesIO(layer_zip)).extractall(tmp_path / "opt")
    # This venv's packages (the pinned dependencies), but no path into the source tree.
    env = {
        "PYTHONPATH": f"{tmp_path / 'task'}:{tmp_path / 'opt' / 'python'}",
        "AWS_DEFAULT_REGION": "us-east-1",
        "PATH": os.environ.get("PATH", ""),
    }
    code = "import app, normaliser.pipeline; print(app.__file__); print(normaliser.pipeline.__file__)"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert all(line.startswith(str(tmp_path)) for line in done.stdout.splitlines()), done.stdout
