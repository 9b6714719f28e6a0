"""Checks of template.yaml: cfn-lint, and the deployed shape and security properties that
issues 2 and 5 ask for, read from the template as written (and, where SAM adds to it, as
transformed). Nothing here talks to AWS."""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint_file
from cfnlint.decode import decode_str
from cfnlint.template import Template

from metrics_names import HANDLER_METRICS
from normaliser.config import NormaliserConfig

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "template.yaml"

NAMESPACE = "TextNormaliser"
SERVICE = "text-normaliser"
# The only S3 rights the function needs: read raw pages, write and re-read outputs, and
# s3:ListBucket so a missing object answers 404 rather than 403.
FUNCTION_S3_ACTIONS = {"s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"}
# What SAM attaches for basic logging, Tracing: Active and the SQS event source. None grants S3.
EXPECTED_MANAGED_POLICIES = {
    "service-role/AWSLambdaBasicExecutionRole",
    "AWSXrayWriteOnlyAccess",
    "service-role/AWSLambdaSQSQueueExecutionRole",
}


@contextmanager
def _region_env_kept() -> Iterator[None]:
    # cfn-lint's SAM transform sets AWS_DEFAULT_REGION in os.environ; keep other tests unaffected.
    before = os.environ.get("AWS_DEFAULT_REGION")
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("AWS_DEFAULT_REGION", None)
        else:
            os.environ["AWS_DEFAULT_REGION"] = before


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    # cfn-lint's decoder understands the short-form tags (!Ref, !Sub, !GetAtt, ...).
    decoded, problems = decode_str(TEMPLATE.read_text(encoding="utf-8"))
    assert not problems, [str(p) for p in problems]
    assert decoded is not None
    template: dict[str, Any] = decoded
    return template


@pytest.fixture(scope="module")
def transformed(template: dict[str, Any]) -> dict[str, Any]:
    """The template after the SAM transform, with the role and mappings SAM generates."""
    with _region_env_kept():
        cfn = Template(str(TEMPLATE), copy.deepcopy(template), ["us-east-1"])
        problems = cfn.transform()
    assert not problems, [str(p) for p in problems]
    transformed: dict[str, Any] = cfn.template
    return transformed


def _resources(template: dict[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    return {name: res for name, res in template["Resources"].items() if res["Type"] == type_}


def _props(template: dict[str, Any], name: str) -> dict[str, Any]:
    props: dict[str, Any] = template["Resources"][name]["Properties"]
    return props


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _render(value: Any) -> str:
    """An ARN-ish intrinsic as one readable string: ${RawBucket.Arn}/*, ${CleanBucket.Arn}."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        (fn, arg), *_ = value.items()
        if fn == "Fn::Sub":
            sub: str = arg if isinstance(arg, str) else arg[0]
            return sub
        if fn == "Fn::GetAtt":
            return "${" + (arg if isinstance(arg, str) else ".".join(arg)) + "}"
        if fn == "Ref":
            name: str = arg
            return "${" + name + "}"
    raise AssertionError(f"unexpected intrinsic in a policy resource: {value!r}")


def _statements(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [stmt for doc in documents for stmt in _as_list(doc["Statement"])]


def _function_statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    policies = _props(template, "NormaliseFunction")["Policies"]
    # Only inline statement documents: a SAM policy template or managed policy name would hide
    # its actions from these checks (S3CrudPolicy, for one, grants deletes).
    assert all(isinstance(p, dict) and "Statement" in p for p in policies), policies
    return _statements(policies)


def _actions(statement: dict[str, Any]) -> list[str]:
    return [str(a) for a in _as_list(statement["Action"])]


def _parameter_default(template: dict[str, Any], value: Any) -> Any:
    if isinstance(value, dict) and "Ref" in value:
        return template["Parameters"][value["Ref"]]["Default"]
    return value


def _mapped(template: dict[str, Any], value: Any) -> Any:
    if isinstance(value, dict) and "Fn::FindInMap" in value:
        mapping, top, key = value["Fn::FindInMap"]
        return template["Mappings"][mapping][top][key]
    return value


# ---------------------------------------------------------------- lint


def test_template_passes_cfn_lint_without_errors_or_warnings() -> None:
    with _region_env_kept():
        findings = lint_file(TEMPLATE, config=ManualArgs(regions=["us-east-1", "eu-west-1"]))
    assert [str(f) for f in findings] == []


# ---------------------------------------------------------------- function and layer


def test_function_runs_a_current_python_runtime(template: dict[str, Any]) -> None:
    runtime = _props(template, "NormaliseFunction")["Runtime"]
    match = re.fullmatch(r"python3\.(\d+)", runtime)
    assert match and int(match.group(1)) >= 12, runtime


def test_function_uses_the_normaliser_layer_built_by_sam(template: dict[str, Any]) -> None:
    layer = template["Resources"]["NormaliserLayer"]
    assert layer["Type"] == "AWS::Serverless::LayerVersion"
    assert layer["Properties"]["ContentUri"] == "shared/"
    assert {"python3.12", "python3.13"} <= set(layer["Properties"]["CompatibleRuntimes"])
    assert layer["Metadata"]["BuildMethod"].startswith("python3.")
    assert {"Ref": "NormaliserLayer"} in _props(template, "NormaliseFunction")["Layers"]


def test_function_runtime_and_architecture_match_the_layer_build(template: dict[str, Any]) -> None:
    # The layer carries compiled wheels (selectolax, charset-normalizer) for one CPython version
    # and one architecture; a function on another cannot import them.
    layer = template["Resources"]["NormaliserLayer"]
    function = _props(template, "NormaliseFunction")
    assert function["Runtime"] == layer["Metadata"]["BuildMethod"]
    assert function["Runtime"] in layer["Properties"]["CompatibleRuntimes"]
    assert function["Architectures"] == ["arm64"]
    assert layer["Metadata"]["BuildArchitecture"] == "arm64"
    assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]


def test_function_is_the_thin_handler_traced_and_sized_for_guarded_batches(template: dict[str, Any]) -> None:
    function = _props(template, "NormaliseFunction")
    assert function["CodeUri"] == "functions/normalise/"
    assert function["Handler"] == "app.lambda_handler"
    assert function["MemorySize"] == 512
    assert function["Tracing"] == "Active"
    guard = _parameter_default(template, function["Environment"]["Variables"]["MAX_SECONDS_PER_PAGE"])
    # Several pathological pages of one batch must fit before the invocation itself times out.
    assert function["Timeout"] == 120
    assert function["Timeout"] >= 5 * guard


def test_function_stops_recursive_loops(template: dict[str, Any]) -> None:
    assert _props(template, "NormaliseFunction")["RecursiveLoop"] == "Terminate"


def test_function_environment_carries_the_clean_bucket_telemetry_names_and_limits(template: dict[str, Any]) -> None:
    env = _props(template, "NormaliseFunction")["Environment"]["Variables"]
    assert env["CLEAN_BUCKET"] == {"Ref": "CleanBucket"}
    assert _mapped(template, env["POWERTOOLS_SERVICE_NAME"]) == SERVICE
    assert _mapped(template, env["POWERTOOLS_METRICS_NAMESPACE"]) == NAMESPACE
    assert _parameter_default(template, env["POWERTOOLS_LOG_LEVEL"]) == "INFO"
    # The deployed defaults are the library's defaults.
    assert _parameter_default(template, env["MAX_INPUT_BYTES"]) == NormaliserConfig.max_input_bytes
    assert _parameter_default(template, env["MAX_SECONDS_PER_PAGE"]) == NormaliserConfig.max_seconds_per_page
    assert _parameter_default(template, env["PEER_EXTRACTORS"]) == str(NormaliserConfig.peer_extractors).lower()
    assert "RAW_BUCKET" not in env  # the function learns the raw bucket from each event


def test_function_log_group_is_declared_with_a_retention(template: dict[str, Any]) -> None:
    (group,) = _resources(template, "AWS::Logs::LogGroup").values()
    assert group["Properties"]["LogGroupName"] == {"Fn::Sub": "/aws/lambda/${NormaliseFunction}"}
    assert _parameter_default(template, group["Properties"]["RetentionInDays"]) == 30


# ---------------------------------------------------------------- events, queues, dead letters


def test_only_the_pages_queue_triggers_the_function(template: dict[str, Any]) -> None:
    events = _props(template, "NormaliseFunction")["Events"]
    assert [e["Type"] for e in events.values()] == ["SQS"]
    (event,) = events.values()
    assert event["Properties"]["Queue"] == {"Fn::GetAtt": ["PagesQueue", "Arn"]}


def test_queue_feeds_the_function_in_batches_with_partial_failure_reports(template: dict[str, Any]) -> None:
    (event,) = _props(template, "NormaliseFunction")["Events"].values()
    props = event["Properties"]
    assert props["BatchSize"] == 10
    assert props["MaximumBatchingWindowInSeconds"] == 5
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert props["ScalingConfig"] == {"MaximumConcurrency": {"Ref": "MaximumConcurrency"}}


def test_queue_hides_a_message_for_at_least_six_function_timeouts(template: dict[str, Any]) -> None:
    timeout = _props(template, "NormaliseFunction")["Timeout"]
    (event,) = _props(template, "NormaliseFunction")["Events"].values()
    window = event["Properties"]["MaximumBatchingWindowInSeconds"]
    assert _props(template, "PagesQueue")["VisibilityTimeout"] >= 6 * timeout + window


def test_pages_failing_five_receives_move_to_the_dead_letter_queue(template: dict[str, Any]) -> None:
    redrive = _props(template, "PagesQueue")["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": ["PagesDeadLetterQueue", "Arn"]}
    assert redrive["maxReceiveCount"] == 5


def test_dead_letter_queue_keeps_messages_fourteen_days_longer_than_the_source(template: dict[str, Any]) -> None:
    dlq_retention = _props(template, "PagesDeadLetterQueue")["MessageRetentionPeriod"]
    assert dlq_retention == 14 * 24 * 3600
    # SQS keeps a message's original enqueue time when it is dead-lettered.
    assert dlq_retention > _props(template, "PagesQueue").get("MessageRetentionPeriod", 4 * 24 * 3600)


def test_failed_asynchronous_invocations_retry_twice_then_land_in_the_dead_letter_queue(
    template: dict[str, Any], transformed: dict[str, Any]
) -> None:
    config = _props(template, "NormaliseFunction")["EventInvokeConfig"]
    assert config["MaximumRetryAttempts"] == 2
    assert config["DestinationConfig"]["OnFailure"] == {
        "Type": "SQS",
        "Destination": {"Fn::GetAtt": ["PagesDeadLetterQueue", "Arn"]},
    }
    # SAM gives the role the right to send there, and nothing broader.
    role = _props(transformed, "NormaliseFunctionRole")
    sends = [
        s for s in _statements([p["PolicyDocument"] for p in role["Policies"]]) if "sqs:SendMessage" in _actions(s)
    ]
    assert [_render(s["Resource"]) for s in sends] == ["${PagesDeadLetterQueue.Arn}"]


def test_raw_bucket_notifies_the_queue_of_every_created_object(template: dict[str, Any]) -> None:
    raw = template["Resources"]["RawBucket"]
    notifications = raw["Properties"]["NotificationConfiguration"]
    assert notifications["QueueConfigurations"] == [
        {"Event": "s3:ObjectCreated:*", "Queue": {"Fn::GetAtt": ["PagesQueue", "Arn"]}}
    ]  # no Filter: every key
    # One path to the function: no direct Lambda notification, and no EventBridge copy to
    # wire up by mistake and process every page twice.
    assert set(notifications) == {"QueueConfigurations"}
    # S3 validates the destination when the notification is put.
    assert "PagesQueuePolicy" in _as_list(raw["DependsOn"])


def test_queue_accepts_notifications_only_from_the_raw_bucket_of_this_account(template: dict[str, Any]) -> None:
    statements = _statements([_props(template, "PagesQueuePolicy")["PolicyDocument"]])
    (allow,) = [s for s in statements if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "s3.amazonaws.com"}
    assert allow["Action"] == "sqs:SendMessage"
    source_arn = allow["Condition"]["ArnEquals"]["aws:SourceArn"]["Fn::Sub"]
    assert source_arn[0] == "arn:${AWS::Partition}:s3:::${Name}"
    # The same name expression as the bucket's own (built from the name: no circular dependency).
    assert source_arn[1]["Name"] == _props(template, "RawBucket")["BucketName"]
    assert allow["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}


@pytest.mark.parametrize("queue", ["PagesQueue", "PagesDeadLetterQueue"])
def test_queue_is_encrypted_at_rest(template: dict[str, Any], queue: str) -> None:
    props = _props(template, queue)
    assert props.get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in props


@pytest.mark.parametrize(
    ("policy", "queue"), [("PagesQueuePolicy", "PagesQueue"), ("PagesDeadLetterQueuePolicy", "PagesDeadLetterQueue")]
)
def test_queue_policy_denies_requests_without_tls(template: dict[str, Any], policy: str, queue: str) -> None:
    props = _props(template, policy)
    assert props["Queues"] == [{"Ref": queue}]
    denies = [s for s in _statements([props["PolicyDocument"]]) if s["Effect"] == "Deny"]
    assert any(
        s["Principal"] == "*"
        and s["Action"] == "sqs:*"
        and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for s in denies
    ), denies


# ---------------------------------------------------------------- buckets


@pytest.mark.parametrize("bucket", ["RawBucket", "CleanBucket"])
def test_bucket_is_encrypted_at_rest(template: dict[str, Any], bucket: str) -> None:
    (rule,) = _props(template, bucket)["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in {"AES256", "aws:kms", "aws:kms:dsse"}


@pytest.mark.parametrize("bucket", ["RawBucket", "CleanBucket"])
def test_bucket_blocks_all_public_access_and_disables_acls(template: dict[str, Any], bucket: str) -> None:
    props = _props(template, bucket)
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}


@pytest.mark.parametrize(("policy", "bucket"), [("RawBucketPolicy", "RawBucket"), ("CleanBucketPolicy", "CleanBucket")])
def test_bucket_policy_denies_requests_without_tls(template: dict[str, Any], policy: str, bucket: str) -> None:
    props = _props(template, policy)
    assert props["Bucket"] == {"Ref": bucket}
    statements = _statements([props["PolicyDocument"]])
    denies = [
        s
        for s in statements
        if s["Effect"] == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
    ]
    assert len(denies) == 1, statements
    (deny,) = denies
    assert deny["Principal"] == "*"
    assert deny["Action"] == "s3:*"
    # Both the bucket itself and every object in it.
    assert {_render(r) for r in deny["Resource"]} == {f"${{{bucket}.Arn}}", f"${{{bucket}.Arn}}/*"}


def test_raw_bucket_is_versioned_so_metadata_can_name_the_version(template: dict[str, Any]) -> None:
    assert _props(template, "RawBucket")["VersioningConfiguration"] == {"Status": "Enabled"}


@pytest.mark.parametrize("bucket", ["RawBucket", "CleanBucket"])
def test_bucket_and_its_data_survive_stack_deletion(template: dict[str, Any], bucket: str) -> None:
    resource = template["Resources"][bucket]
    assert resource["DeletionPolicy"] == "Retain"
    assert resource["UpdateReplacePolicy"] == "Retain"


@pytest.mark.parametrize(("bucket", "default"), [("RawBucket", "raw-pages-"), ("CleanBucket", "clean-articles-")])
def test_bucket_name_comes_from_a_parameter_with_an_account_and_region_default(
    template: dict[str, Any], bucket: str, default: str
) -> None:
    condition, given, fallback = _props(template, bucket)["BucketName"]["Fn::If"]
    assert condition == f"Has{bucket}Name"
    assert given == {"Ref": f"{bucket}Name"}
    assert template["Parameters"][f"{bucket}Name"]["Default"] == ""
    assert fallback == {"Fn::Sub": f"{default}${{AWS::AccountId}}-${{AWS::Region}}"}


# ---------------------------------------------------------------- least privilege


def test_function_policies_grant_no_wildcard_actions(template: dict[str, Any]) -> None:
    for statement in _function_statements(template):
        for action in _actions(statement):
            assert "*" not in action, statement


def test_function_policies_grant_no_acl_lifecycle_or_other_delete_rights(template: dict[str, Any]) -> None:
    # The one delete right (articles of pages no longer normalised) is checked below.
    forbidden = re.compile(r"Delete|Acl|Lifecycle|Policy|Tagging", re.IGNORECASE)
    for statement in _function_statements(template):
        assert statement["Effect"] == "Allow"
        for action in _actions(statement):
            assert action == "s3:DeleteObject" or not forbidden.search(action), statement


def test_function_s3_rights_are_only_read_raw_and_write_clean(template: dict[str, Any]) -> None:
    s3_actions = {a for s in _function_statements(template) for a in _actions(s) if a.startswith("s3:")}
    assert s3_actions == FUNCTION_S3_ACTIONS


def _function_resources(template: dict[str, Any], action_prefix: str) -> set[str]:
    """The resources of the function's statements that grant an action starting so."""
    return {
        _render(r)
        for s in _function_statements(template)
        if any(a.startswith(action_prefix) for a in _actions(s))
        for r in _as_list(s["Resource"])
    }


def test_function_writes_only_under_text_and_metadata_of_the_clean_bucket(template: dict[str, Any]) -> None:
    assert _function_resources(template, "s3:Put") == {"${CleanBucket.Arn}/text/*", "${CleanBucket.Arn}/metadata/*"}


def test_function_deletes_only_articles_of_the_clean_bucket(template: dict[str, Any]) -> None:
    assert _function_resources(template, "s3:Delete") == {"${CleanBucket.Arn}/text/*"}


def test_function_reads_raw_objects_and_only_the_metadata_of_earlier_outputs(template: dict[str, Any]) -> None:
    assert _function_resources(template, "s3:Get") == {"${RawBucket.Arn}/*", "${CleanBucket.Arn}/metadata/*"}


def test_function_cannot_write_to_the_raw_bucket(template: dict[str, Any]) -> None:
    for statement in _function_statements(template):
        if any(a.startswith(("s3:Put", "s3:Delete", "s3:Restore", "s3:Replicate")) for a in _actions(statement)):
            assert not any("RawBucket" in _render(r) for r in _as_list(statement["Resource"])), statement
    # And the raw bucket refuses the function's writes whatever its role says.
    statements = _statements([_props(template, "RawBucketPolicy")["PolicyDocument"]])
    (deny,) = [s for s in statements if s.get("Sid") == "DenyWritesFromNormaliser"]
    assert deny["Effect"] == "Deny"
    assert "s3:PutObject" in _actions(deny)
    assert _render(deny["Resource"]) == "${RawBucket.Arn}/*"
    assert deny["Condition"] == {"ArnEquals": {"aws:PrincipalArn": {"Fn::GetAtt": ["NormaliseFunctionRole", "Arn"]}}}


def test_generated_role_adds_only_logging_tracing_and_queue_rights(transformed: dict[str, Any]) -> None:
    role = _props(transformed, "NormaliseFunctionRole")
    managed = {_render(arn).split(":policy/", 1)[1] for arn in role["ManagedPolicyArns"]}
    assert managed == EXPECTED_MANAGED_POLICIES
    inline = _statements([p["PolicyDocument"] for p in role["Policies"]])
    s3_actions = {a for s in inline for a in _actions(s) if a.startswith("s3:")}
    assert s3_actions == FUNCTION_S3_ACTIONS


def test_reserved_concurrency_is_only_set_when_asked_for(template: dict[str, Any]) -> None:
    reserved = _props(template, "NormaliseFunction")["ReservedConcurrentExecutions"]
    assert reserved == {"Fn::If": ["HasReservedConcurrency", {"Ref": "ReservedConcurrency"}, {"Ref": "AWS::NoValue"}]}
    assert template["Parameters"]["ReservedConcurrency"]["Default"] == ""


def test_batch_operations_role_can_only_invoke_the_function_and_touch_its_own_prefixes(
    template: dict[str, Any],
) -> None:
    role = template["Resources"]["BatchOperationsRole"]
    assert role["Condition"] == "WantsBatchOperationsRole"
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "batchoperations.s3.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    statements = _statements([p["PolicyDocument"] for p in role["Properties"]["Policies"]])
    granted = {(a, _render(r)) for s in statements for a in _actions(s) for r in _as_list(s["Resource"])}
    assert granted == {
        ("lambda:InvokeFunction", "${NormaliseFunction.Arn}"),
        ("s3:GetObject", "${CleanBucket.Arn}/batch-operations/manifests/*"),
        ("s3:GetObjectVersion", "${CleanBucket.Arn}/batch-operations/manifests/*"),
        ("s3:PutObject", "${CleanBucket.Arn}/batch-operations/reports/*"),
        ("s3:GetBucketLocation", "${CleanBucket.Arn}"),
    }


# ---------------------------------------------------------------- alarms and dashboard

ALARMS = {
    "DeadLetterQueueNotEmptyAlarm": ("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName"),
    "FunctionErrorsAlarm": ("AWS/Lambda", "Errors", "FunctionName"),
    "FunctionThrottlesAlarm": ("AWS/Lambda", "Throttles", "FunctionName"),
    "OldestMessageAgeAlarm": ("AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName"),
    "PagesFailedAlarm": (NAMESPACE, "PagesFailed", "service"),
}
ALARM_SUBJECTS = {
    "DeadLetterQueueNotEmptyAlarm": {"Fn::GetAtt": ["PagesDeadLetterQueue", "QueueName"]},
    "FunctionErrorsAlarm": {"Ref": "NormaliseFunction"},
    "FunctionThrottlesAlarm": {"Ref": "NormaliseFunction"},
    "OldestMessageAgeAlarm": {"Fn::GetAtt": ["PagesQueue", "QueueName"]},
    "PagesFailedAlarm": SERVICE,
}


@pytest.mark.parametrize("name", sorted(ALARMS))
def test_operational_alarm_watches_its_metric(template: dict[str, Any], name: str) -> None:
    namespace, metric, dimension = ALARMS[name]
    props = _props(template, name)
    assert template["Resources"][name]["Type"] == "AWS::CloudWatch::Alarm"
    assert _mapped(template, props["Namespace"]) == namespace
    assert props["MetricName"] == metric
    # Custom metrics use the service-only dimension set, not the per-reason one.
    ((dim_name, dim_value),) = [(d["Name"], _mapped(template, d["Value"])) for d in props["Dimensions"]]
    assert (dim_name, dim_value) == (dimension, ALARM_SUBJECTS[name])
    assert props["ComparisonOperator"] == "GreaterThanThreshold"
    assert props["TreatMissingData"] == "notBreaching"


def test_oldest_message_alarm_fires_after_fifteen_minutes_by_default(template: dict[str, Any]) -> None:
    threshold = _props(template, "OldestMessageAgeAlarm")["Threshold"]
    assert _parameter_default(template, threshold) == 900


@pytest.mark.parametrize("name", sorted(ALARMS))
def test_alarm_notifies_the_topic_only_when_one_is_given(template: dict[str, Any], name: str) -> None:
    props = _props(template, name)
    expected = {"Fn::If": ["HasAlarmTopic", [{"Ref": "AlarmTopicArn"}], {"Ref": "AWS::NoValue"}]}
    assert props["AlarmActions"] == expected
    assert props["OKActions"] == expected
    assert template["Parameters"]["AlarmTopicArn"]["Default"] == ""


@pytest.fixture(scope="module")
def dashboard(template: dict[str, Any]) -> dict[str, Any]:
    body, variables = _props(template, "NormaliserDashboard")["DashboardBody"]["Fn::Sub"]
    values = {name: _mapped(template, value) for name, value in variables.items()}

    def substitute(match: re.Match[str]) -> str:
        # Template variables get their mapped values; resource names and ARNs a placeholder.
        return str(values.get(match.group(1), f"<{match.group(1)}>"))

    decoded: dict[str, Any] = json.loads(re.sub(r"\$\{([^}]+)\}", substitute, body))
    return decoded


def _dashboard_metric_rows(dashboard: dict[str, Any]) -> list[list[Any]]:
    return [row for w in dashboard["widgets"] for row in w.get("properties", {}).get("metrics", [])]


@pytest.mark.parametrize("metric", HANDLER_METRICS)
def test_dashboard_charts_each_handler_metric_by_service(dashboard: dict[str, Any], metric: str) -> None:
    rows = _dashboard_metric_rows(dashboard)
    assert [NAMESPACE, metric, "service", SERVICE] in [row[:4] for row in rows]


def test_dashboard_charts_processing_time_percentiles(dashboard: dict[str, Any]) -> None:
    stats = {row[4]["stat"] for row in _dashboard_metric_rows(dashboard) if row[1:2] == ["ProcessingTime"]}
    assert stats == {"p50", "p90", "Maximum"}


@pytest.mark.parametrize(
    ("namespace", "metric", "subject"),
    [
        ("AWS/Lambda", "Duration", "<NormaliseFunction>"),
        ("AWS/Lambda", "Errors", "<NormaliseFunction>"),
        ("AWS/Lambda", "Throttles", "<NormaliseFunction>"),
        ("AWS/Lambda", "ConcurrentExecutions", "<NormaliseFunction>"),
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible", "<PagesQueue.QueueName>"),
        ("AWS/SQS", "ApproximateAgeOfOldestMessage", "<PagesQueue.QueueName>"),
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible", "<PagesDeadLetterQueue.QueueName>"),
    ],
)
def test_dashboard_charts_function_and_queue_health(
    dashboard: dict[str, Any], namespace: str, metric: str, subject: str
) -> None:
    assert any(row[:2] == [namespace, metric] and row[3] == subject for row in _dashboard_metric_rows(dashboard))


def test_dashboard_shows_every_alarm(template: dict[str, Any]) -> None:
    body = _props(template, "NormaliserDashboard")["DashboardBody"]["Fn::Sub"][0]
    for name in ALARMS:
        assert f"${{{name}.Arn}}" in body


def test_handler_alarms_and_dashboard_share_one_namespace_and_service(template: dict[str, Any]) -> None:
    assert template["Mappings"]["Telemetry"]["Metrics"] == {"Namespace": NAMESPACE, "Service": SERVICE}
    variables = _props(template, "NormaliserDashboard")["DashboardBody"]["Fn::Sub"][1]
    assert variables == {
        "Namespace": {"Fn::FindInMap": ["Telemetry", "Metrics", "Namespace"]},
        "Service": {"Fn::FindInMap": ["Telemetry", "Metrics", "Service"]},
    }


# ---------------------------------------------------------------- outputs


def test_outputs_name_the_buckets_queues_function_and_dashboard(template: dict[str, Any]) -> None:
    outputs = template["Outputs"]
    assert outputs["RawBucketName"]["Value"] == {"Ref": "RawBucket"}
    assert outputs["CleanBucketName"]["Value"] == {"Ref": "CleanBucket"}
    assert outputs["PagesQueueUrl"]["Value"] == {"Ref": "PagesQueue"}
    assert outputs["PagesDeadLetterQueueUrl"]["Value"] == {"Ref": "PagesDeadLetterQueue"}
    assert outputs["NormaliseFunctionName"]["Value"] == {"Ref": "NormaliseFunction"}
    assert "#dashboards:name=${NormaliserDashboard}" in outputs["DashboardUrl"]["Value"]["Fn::Sub"]
