"""Deploy template.yaml itself into moto: the stack a user deploys is the stack they test.

1. transform SAM to CloudFormation offline with aws-sam-translator (a region and ``s3://``
   code locations are all it needs);
2. zip ``functions/normalise/`` and the layer from ``shared/`` into an artifacts bucket;
3. ``create_stack`` with the resources moto's CloudFormation can create;
4. apply what it cannot (or silently drops) through the ordinary AWS APIs, from the
   transformed template's own properties: bucket notification, versioning and access
   settings, bucket and queue policies, the function's asynchronous-invocation config,
   alarms and the dashboard;
5. disable the event source mapping (moto cannot run Lambda code without Docker; a worker
   polls the queue instead) and hand back what the worker needs.

``enforce_iam`` then makes every later request go through moto's IAM checks.
"""

from __future__ import annotations

import copy
import io
import json
import os
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "template.yaml"
REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account
STACK_NAME = "text-normaliser"
ARTIFACTS_BUCKET = "text-normaliser-artifacts"

# Resource types moto's CloudFormation cannot create (it skips them, and a Fn::GetAtt on a
# skipped resource fails the whole stack): they leave the template sent to create_stack and
# are applied afterwards, in this order, by the appliers below.
APPLIED_AFTER = (
    "AWS::S3::BucketPolicy",
    "AWS::SQS::QueuePolicy",
    "AWS::Lambda::EventInvokeConfig",
    "AWS::CloudWatch::Alarm",
    "AWS::CloudWatch::Dashboard",
)
# Properties of created resources that moto's CloudFormation drops; applied afterwards too,
# as are roles' inline policies (see _apply_after). Managed policy ARNs are not: moto knows no
# AWS managed policy unless told to load them all, and the function's (logs, X-Ray, the SQS
# poller's) grant nothing the local handler uses.
BUCKET_PROPERTIES_APPLIED_AFTER = (
    "VersioningConfiguration",
    "NotificationConfiguration",
    "PublicAccessBlockConfiguration",
    "OwnershipControls",
    "LifecycleConfiguration",
)

# The intrinsic functions resolve() evaluates; other one-key mappings are plain data.
_INTRINSICS = frozenset({"Ref", "Fn::GetAtt", "Fn::Sub", "Fn::If", "Fn::FindInMap", "Fn::Join", "Fn::Select"})
_PSEUDO = {
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT_ID,
    "AWS::Partition": "aws",
    "AWS::StackName": STACK_NAME,
    "AWS::URLSuffix": "amazonaws.com",
}


class _NoValue:
    """AWS::NoValue: the property or list item is removed."""


NO_VALUE = _NoValue()


# ---------------------------------------------------------------- transform and package


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    """The SAM template as a dict, short-form intrinsics (``!Ref``) in their long form."""
    from samtranslator.yaml_helper import yaml_parse

    template: dict[str, Any] = yaml_parse(path.read_text(encoding="utf-8"))
    return template


def to_cloudformation(sam: dict[str, Any], code: dict[str, str], parameters: dict[str, str]) -> dict[str, Any]:
    """SAM -> CloudFormation, offline. ``code`` maps a serverless function or layer's logical id
    to the ``s3://`` location of its zip."""
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    sam = copy.deepcopy(sam)
    for logical_id, uri in code.items():
        props = sam["Resources"][logical_id]["Properties"]
        props["ContentUri" if "ContentUri" in props else "CodeUri"] = uri
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)  # the translator builds ARNs for this region
    # No managed policy is named by name in the template (only ARNs), so no IAM lookup is needed.
    transformed: dict[str, Any] = Translator(managed_policy_map={}, sam_parser=Parser()).translate(
        sam_template=sam, parameter_values=dict(parameters)
    )
    return transformed


def _zip(files: dict[str, Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in sorted(files.items()):
            archive.write(path, name)
    return buffer.getvalue()


def _tree(root: Path, prefix: str = "") -> dict[str, Path]:
    return {
        prefix + p.relative_to(root).as_posix(): p
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def code_artifacts(sam: dict[str, Any]) -> dict[str, bytes]:
    """The zip of every function and layer, keyed by logical id: the function's CodeUri as it
    is; a layer's ContentUri under ``python/``, as SAM's python build lays it out. Dependencies
    are not vendored: the worker runs the code on this venv's pinned packages."""
    zips = {}
    for logical_id, resource in sam["Resources"].items():
        props = resource.get("Properties", {})
        if resource["Type"] == "AWS::Serverless::Function":
            zips[logical_id] = _zip(_tree(REPO / props["CodeUri"]))
        elif resource["Type"] == "AWS::Serverless::LayerVersion":
            zips[logical_id] = _zip(_tree(REPO / props["ContentUri"], "python/"))
    return zips


# ---------------------------------------------------------------- intrinsic functions


class Resolver:
    """Evaluates the transformed template's intrinsic functions against the deployed stack."""

    def __init__(
        self,
        template: dict[str, Any],
        parameters: dict[str, str],
        physical_ids: dict[str, str],
        attribute: Callable[[str, str], str],
    ) -> None:
        self.template = template
        self.parameters = {name: str(spec.get("Default", "")) for name, spec in template.get("Parameters", {}).items()}
        self.parameters.update(parameters)
        self.physical_ids = physical_ids
        self._attribute = attribute
        self.conditions = {name: self.condition(expr) for name, expr in template.get("Conditions", {}).items()}

    def condition(self, expr: Any) -> bool:
        if isinstance(expr, dict) and "Condition" in expr:
            return self.conditions[expr["Condition"]]
        name, args = next(iter(expr.items()))
        if name == "Fn::Equals":
            return bool(self.resolve(args[0]) == self.resolve(args[1]))
        if name == "Fn::Not":
            return not self.condition(args[0])
        if name == "Fn::And":
            return all(self.condition(a) for a in args)
        if name == "Fn::Or":
            return any(self.condition(a) for a in args)
        raise ValueError(f"unsupported condition {name}")

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [v for v in (self.resolve(item) for item in value) if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((name, args),) = value.items()
            if name in _INTRINSICS:
                return self._intrinsic(name, args)
        resolved = {k: self.resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}

    def _intrinsic(self, name: str, args: Any) -> Any:
        if name == "Ref":
            return self.ref(args)
        if name == "Fn::GetAtt":
            logical_id, attr = args if isinstance(args, list) else args.split(".", 1)
            return self._attribute(logical_id, attr)
        if name == "Fn::Sub":
            return self.sub(args)
        if name == "Fn::If":
            return self.resolve(args[1] if self.conditions[args[0]] else args[2])
        if name == "Fn::FindInMap":
            return self.template["Mappings"][args[0]][self.resolve(args[1])][self.resolve(args[2])]
        if name == "Fn::Join":
            return str(args[0]).join(str(v) for v in self.resolve(args[1]))
        assert name == "Fn::Select", name
        return self.resolve(args[1])[int(self.resolve(args[0]))]

    def ref(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in _PSEUDO:
            return _PSEUDO[name]
        if name in self.parameters:
            return self.parameters[name]
        return self.physical_ids[name]

    def sub(self, args: Any) -> str:
        text, variables = (args, {}) if isinstance(args, str) else (args[0], self.resolve(args[1]))
        out, i = [], 0
        while (start := text.find("${", i)) >= 0:
            end = text.index("}", start)
            out.append(text[i:start])
            name = text[start + 2 : end]
            if name.startswith("!"):  # ${!Literal}
                out.append("${" + name[1:] + "}")
            elif name in variables:
                out.append(str(variables[name]))
            elif "." in name:
                logical_id, attr = name.split(".", 1)
                out.append(str(self._attribute(logical_id, attr)))
            else:
                out.append(str(self.ref(name)))
            i = end + 1
        out.append(text[i:])
        return "".join(out)


# ---------------------------------------------------------------- deploy


@dataclass
class Deployment:
    """What the deployed stack says, as the worker and the tests read it."""

    template: dict[str, Any]  # the transformed (CloudFormation) template
    resolver: Resolver
    outputs: dict[str, str]
    queue_url: str
    dead_letter_queue_url: str
    function: dict[str, Any]  # get_function()["Configuration"]
    event_source_mapping: dict[str, Any]
    applied_after: list[str] = field(default_factory=list)  # logical ids applied through the APIs


def deployable(template: dict[str, Any]) -> dict[str, Any]:
    """The transformed template without the resources applied afterwards (and without the
    dependencies on them and the outputs that name them)."""
    stack = copy.deepcopy(template)
    later = {k for k, r in stack["Resources"].items() if r["Type"] in APPLIED_AFTER}
    for logical_id in later:
        del stack["Resources"][logical_id]
    for resource in stack["Resources"].values():
        depends = resource.get("DependsOn")
        if depends is not None:
            kept = [d for d in ([depends] if isinstance(depends, str) else depends) if d not in later]
            if kept:
                resource["DependsOn"] = kept
            else:
                del resource["DependsOn"]
    stack["Outputs"] = {
        name: out
        for name, out in stack.get("Outputs", {}).items()
        if not any(f"${{{r}" in json.dumps(out) or f'"{r}"' in json.dumps(out) for r in later)
    }
    return stack


def deploy(clients: Callable[[str], Any], sam: dict[str, Any], parameters: dict[str, str]) -> Deployment:
    """Package, transform, create the stack and apply what moto's CloudFormation leaves out."""
    s3, cfn = clients("s3"), clients("cloudformation")
    s3.create_bucket(Bucket=ARTIFACTS_BUCKET)
    code = {}
    for logical_id, body in code_artifacts(sam).items():
        s3.put_object(Bucket=ARTIFACTS_BUCKET, Key=f"{logical_id}.zip", Body=body)
        code[logical_id] = f"s3://{ARTIFACTS_BUCKET}/{logical_id}.zip"
    template = to_cloudformation(sam, code, parameters)
    cfn.create_stack(
        StackName=STACK_NAME,
        TemplateBody=json.dumps(deployable(template)),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
    )
    stack = cfn.describe_stacks(StackName=STACK_NAME)["Stacks"][0]
    if stack["StackStatus"] != "CREATE_COMPLETE":
        raise RuntimeError(f"stack {STACK_NAME}: {stack['StackStatus']} {stack.get('StackStatusReason', '')}")
    physical_ids = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in cfn.list_stack_resources(StackName=STACK_NAME)["StackResourceSummaries"]
    }
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] in ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard"):
            physical_ids[logical_id] = f"{STACK_NAME}-{logical_id}"  # CloudFormation's generated-name shape
    # Before anything reaches the queue (S3 sends a test event when the notification is put):
    # moto would try to run the function in Docker for each message; the worker polls instead.
    lam = clients("lambda")
    function = lam.get_function(FunctionName=physical_ids["NormaliseFunction"])["Configuration"]
    mappings = lam.list_event_source_mappings(FunctionName=function["FunctionName"])["EventSourceMappings"]
    if len(mappings) != 1:
        raise RuntimeError(f"expected one event source mapping for the function, found {len(mappings)}")
    mapping = lam.update_event_source_mapping(UUID=mappings[0]["UUID"], Enabled=False)
    resolver = Resolver(template, parameters, physical_ids, _Attributes(clients, template, physical_ids))
    applied = _apply_after(clients, template, resolver)

    sqs = clients("sqs")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    return Deployment(
        template=template,
        resolver=resolver,
        outputs=outputs,
        queue_url=_local_queue_url(sqs, outputs["PagesQueueUrl"]),
        dead_letter_queue_url=_local_queue_url(sqs, outputs["PagesDeadLetterQueueUrl"]),
        function=function,
        event_source_mapping=mapping,
        applied_after=applied,
    )


def _local_queue_url(sqs: Any, url: str) -> str:
    """moto's outputs name queues by their AWS URL; the same queue at the local endpoint."""
    return str(sqs.get_queue_url(QueueName=url.rstrip("/").rsplit("/", 1)[-1])["QueueUrl"])


class _Attributes:
    """Fn::GetAtt on the deployed resources, read back through the APIs."""

    def __init__(self, clients: Callable[[str], Any], template: dict[str, Any], physical_ids: dict[str, str]) -> None:
        self._clients, self._template, self._ids = clients, template, physical_ids

    def __call__(self, logical_id: str, attr: str) -> str:
        kind, physical = self._template["Resources"][logical_id]["Type"], self._ids[logical_id]
        if kind == "AWS::S3::Bucket" and attr == "Arn":
            return f"arn:aws:s3:::{physical}"
        if kind == "AWS::SQS::Queue":
            sqs = self._clients("sqs")
            url = _local_queue_url(sqs, physical)
            arn = str(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])
            return {"Arn": arn, "QueueName": arn.rsplit(":", 1)[-1], "QueueUrl": url}[attr]
        if kind == "AWS::Lambda::Function" and attr == "Arn":
            return str(self._clients("lambda").get_function(FunctionName=physical)["Configuration"]["FunctionArn"])
        if kind == "AWS::IAM::Role" and attr == "Arn":
            return str(self._clients("iam").get_role(RoleName=physical)["Role"]["Arn"])
        if kind == "AWS::CloudWatch::Alarm" and attr == "Arn":
            return f"arn:aws:cloudwatch:{REGION}:{ACCOUNT_ID}:alarm:{physical}"
        raise KeyError(f"Fn::GetAtt {logical_id}.{attr} ({kind}) is not known to the local stack")


def _apply_after(clients: Callable[[str], Any], template: dict[str, Any], resolver: Resolver) -> list[str]:
    applied = []
    resources = template["Resources"]
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::S3::Bucket":
            props = resolver.resolve(
                {k: v for k, v in resource.get("Properties", {}).items() if k in BUCKET_PROPERTIES_APPLIED_AFTER}
            )
            _apply_bucket(clients("s3"), resolver.physical_ids[logical_id], props)
        elif resource["Type"] == "AWS::IAM::Role":
            # moto's CloudFormation stores inline policies as dicts, which its own IAM
            # enforcement cannot read (it expects the JSON text put_role_policy stores).
            props = resolver.resolve(resource.get("Properties", {}))
            for policy in props.get("Policies", []):
                clients("iam").put_role_policy(
                    RoleName=resolver.physical_ids[logical_id],
                    PolicyName=policy["PolicyName"],
                    PolicyDocument=json.dumps(_versioned(policy["PolicyDocument"])),
                )
    for kind in APPLIED_AFTER:
        for logical_id, resource in resources.items():
            if resource["Type"] == kind and ("Condition" not in resource or resolver.conditions[resource["Condition"]]):
                _APPLIERS[kind](clients, logical_id, resolver.resolve(resource.get("Properties", {})), resolver)
                applied.append(logical_id)
    return applied


def _versioned(document: dict[str, Any]) -> dict[str, Any]:
    """IAM reads a policy without a Version as 2008-10-17; moto refuses it. Without policy
    variables in it (SAM's generated policies have none) the two versions mean the same."""
    return document if "Version" in document else {"Version": "2012-10-17", **document}


def _apply_bucket(s3: Any, bucket: str, props: dict[str, Any]) -> None:
    if "VersioningConfiguration" in props:
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration=props["VersioningConfiguration"])
    if "PublicAccessBlockConfiguration" in props:
        s3.put_public_access_block(
            Bucket=bucket, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
        )
    if "OwnershipControls" in props:
        s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=props["OwnershipControls"])
    if "LifecycleConfiguration" in props:
        rules = [
            {
                "ID": r["Id"],
                "Status": r["Status"],
                "Filter": {"Prefix": r.get("Prefix", "")},
                **(
                    {"AbortIncompleteMultipartUpload": r["AbortIncompleteMultipartUpload"]}
                    if "AbortIncompleteMultipartUpload" in r
                    else {}
                ),
            }
            for r in props["LifecycleConfiguration"]["Rules"]
        ]
        s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    if "NotificationConfiguration" in props:
        cfn = props["NotificationConfiguration"]
        api: dict[str, Any] = {}
        for cfn_key, api_key, target, api_target in (
            ("QueueConfigurations", "QueueConfigurations", "Queue", "QueueArn"),
            ("TopicConfigurations", "TopicConfigurations", "Topic", "TopicArn"),
            ("LambdaConfigurations", "LambdaFunctionConfigurations", "Function", "LambdaFunctionArn"),
        ):
            if cfn_key in cfn:
                api[api_key] = [
                    {
                        api_target: c[target],
                        "Events": [c["Event"]],
                        **({"Filter": _notification_filter(c["Filter"])} if "Filter" in c else {}),
                    }
                    for c in cfn[cfn_key]
                ]
        if cfn.get("EventBridgeConfiguration", {}).get("EventBridgeEnabled"):
            api["EventBridgeConfiguration"] = {}
        s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=api)


def _notification_filter(cfn: dict[str, Any]) -> dict[str, Any]:
    return {"Key": {"FilterRules": cfn["S3Key"]["Rules"]}}


def _bucket_policy(clients: Callable[[str], Any], _: str, props: dict[str, Any], __: Resolver) -> None:
    """Only the unconditional statements. moto evaluates a bucket policy without the request's
    context (transport, TLS version, principal), so every condition holds and a conditional
    Deny would refuse every request; tests/template checks those statements instead."""
    document = dict(props["PolicyDocument"])
    document["Statement"] = [s for s in document["Statement"] if "Condition" not in s]
    if document["Statement"]:
        clients("s3").put_bucket_policy(Bucket=props["Bucket"], Policy=json.dumps(document))


def _queue_policy(clients: Callable[[str], Any], _: str, props: dict[str, Any], __: Resolver) -> None:
    sqs = clients("sqs")
    for url in props["Queues"]:
        sqs.set_queue_attributes(
            QueueUrl=_local_queue_url(sqs, url), Attributes={"Policy": json.dumps(props["PolicyDocument"])}
        )


def _event_invoke_config(clients: Callable[[str], Any], _: str, props: dict[str, Any], __: Resolver) -> None:
    clients("lambda").put_function_event_invoke_config(**props)


def _alarm(clients: Callable[[str], Any], logical_id: str, props: dict[str, Any], resolver: Resolver) -> None:
    # A Ref to a Number parameter resolves to its string, as in CloudFormation; the API wants numbers.
    props["Threshold"] = float(props["Threshold"])
    for name in ("Period", "EvaluationPeriods", "DatapointsToAlarm"):
        if name in props:
            props[name] = int(props[name])
    clients("cloudwatch").put_metric_alarm(AlarmName=props.pop("AlarmName", resolver.physical_ids[logical_id]), **props)


def _dashboard(clients: Callable[[str], Any], logical_id: str, props: dict[str, Any], resolver: Resolver) -> None:
    clients("cloudwatch").put_dashboard(
        DashboardName=props.get("DashboardName", resolver.physical_ids[logical_id]),
        DashboardBody=props["DashboardBody"],
    )


_APPLIERS: dict[str, Callable[[Callable[[str], Any], str, dict[str, Any], Resolver], None]] = {
    "AWS::S3::BucketPolicy": _bucket_policy,
    "AWS::SQS::QueuePolicy": _queue_policy,
    "AWS::Lambda::EventInvokeConfig": _event_invoke_config,
    "AWS::CloudWatch::Alarm": _alarm,
    "AWS::CloudWatch::Dashboard": _dashboard,
}


# ---------------------------------------------------------------- IAM


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None

    def as_client_kwargs(self) -> dict[str, str]:
        kwargs = {"aws_access_key_id": self.access_key_id, "aws_secret_access_key": self.secret_access_key}
        if self.session_token:
            kwargs["aws_session_token"] = self.session_token
        return kwargs


OPERATOR = "local-operator"


def create_operator(iam: Any) -> Credentials:
    """An IAM user allowed everything: the person dropping pages, the tests, and the queue
    poller (which on AWS is the Lambda service, not the function's role)."""
    iam.create_user(UserName=OPERATOR)
    iam.put_user_policy(
        UserName=OPERATOR,
        PolicyName="everything",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        ),
    )
    key = iam.create_access_key(UserName=OPERATOR)["AccessKey"]
    return Credentials(key["AccessKeyId"], key["SecretAccessKey"])


def function_credentials(sts: Any, role_arn: str) -> Credentials:
    """What Lambda hands the function: a session of its execution role."""
    creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="normalise-local")["Credentials"]
    return Credentials(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])


def repair_moto_signature_check() -> None:
    """moto 5.2.1 recomputes an S3 request's signature from the URL as the web server decoded
    it, so a key with "+" or "%", or a prefix with "/" (what ``aws s3 ls`` sends), fails with
    SignatureDoesNotMatch once IAM is enforced. The check is given the path exactly as sent
    (moto keeps it as ``raw_path``) and the query encoded again as botocore signs it. Patches
    the in-process server only; every signature is still checked."""
    from urllib.parse import quote, unquote, urlsplit, urlunsplit

    from moto.s3.responses import S3Response

    if getattr(S3Response, "_signature_sees_raw_path", False):
        return
    authorize = S3Response._authenticate_and_authorize_s3_action

    def with_raw_path(self: Any, *args: Any, **kwargs: Any) -> Any:
        received = self.uri
        url = urlsplit(received)
        query = "&".join(
            "=".join(quote(unquote(part), safe="-_.~") for part in pair.split("=", 1))
            for pair in url.query.split("&")
            if pair
        )
        self.uri = urlunsplit(url._replace(path=getattr(self, "raw_path", None) or url.path, query=query))
        try:
            return authorize(self, *args, **kwargs)
        finally:
            self.uri = received

    S3Response._authenticate_and_authorize_s3_action = with_raw_path  # type: ignore[method-assign]
    S3Response._signature_sees_raw_path = True  # type: ignore[attr-defined]


def set_iam_enforcement(endpoint: str, enforced: bool) -> None:
    """moto in server mode checks every request against IAM after this many unchecked ones
    (``/moto-api/reset-auth``, the server-mode form of ``set_initial_no_auth_action_count``)."""
    count = b"0" if enforced else b"inf"
    urllib.request.urlopen(
        urllib.request.Request(
            f"{endpoint}/moto-api/reset-auth",
            data=count,
            method="POST",
            # Not form-encoded, or moto would see an empty body.
            headers={"Content-Type": "text/plain"},
        )
    ).close()
