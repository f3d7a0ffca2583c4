// Synthesized templates and their deploy-time values. A rehearsal needs the values a deployed stack would have, in
// the shapes AWS's API models accept (an ARN where an ARN is expected, subnet-0…, sg-0…), so every intrinsic function
// is rendered to a realistic value: Ref and Fn::GetAtt by resource type, pseudo parameters of a fixed account and
// Region, Fn::ImportValue through the exporting template's Outputs (any template given to the gate).

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

export class ToolError extends Error {}

export function readJson(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ToolError(`cannot read ${file}: ${e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ToolError(`${file} is not JSON: ${e.message}`);
  }
}

const hex = (s, n) => crypto.createHash('sha256').update(s).digest('hex').slice(0, n);
const uuid = (s) => hex(s, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

// Stack name from the cloud assembly's manifest.json beside the template (CDK), else the file name.
function stackName(file) {
  const base = path.basename(file);
  const manifest = path.join(path.dirname(path.resolve(file)), 'manifest.json');
  if (fs.existsSync(manifest)) {
    try {
      for (const [id, a] of Object.entries(JSON.parse(fs.readFileSync(manifest, 'utf8')).artifacts ?? {})) {
        if (a?.type === 'aws:cloudformation:stack' && a.properties?.templateFile === base) return a.properties.stackName ?? id;
      }
    } catch {
      // an unreadable manifest: the file name names the stack
    }
  }
  return base.replace(/\.template\.json$/i, '').replace(/\.json$/i, '');
}

export function loadTemplates(files, { account = ACCOUNT, region = REGION } = {}) {
  return files.map((file) => {
    const tpl = readJson(file);
    if (!tpl || typeof tpl !== 'object' || typeof tpl.Resources !== 'object') throw new ToolError(`${file} has no Resources section`);
    return { path: file, tpl, stackName: stackName(file), account, region };
  });
}

// Name a resource has: its literal name property, else one CloudFormation would generate (stack-logicalId-suffix).
const NAME_PROPERTY = {
  'AWS::S3::Bucket': 'BucketName', 'AWS::SNS::Topic': 'TopicName', 'AWS::IAM::Role': 'RoleName', 'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName', 'AWS::Athena::WorkGroup': 'Name', 'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::SageMaker::ModelPackageGroup': 'ModelPackageGroupName', 'AWS::Glue::Database': 'DatabaseInput.Name', 'AWS::Kinesis::Stream': 'Name',
  'AWS::SQS::Queue': 'QueueName', 'AWS::Events::Rule': 'Name', 'AWS::SageMaker::Endpoint': 'EndpointName', 'AWS::KinesisFirehose::DeliveryStream': 'DeliveryStreamName',
  'AWS::SageMaker::MonitoringSchedule': 'MonitoringScheduleName',
};

// Ref / Fn::GetAtt values by resource type, as CloudFormation returns them. `r` describes the resource.
const VALUES = {
  'AWS::IAM::Role': { Ref: (r) => r.name, Arn: (r) => `arn:aws:iam::${r.account}:role/${r.name}`, RoleId: (r) => `AROA${r.hash(17).toUpperCase()}` },
  'AWS::KMS::Key': { Ref: (r) => r.uuid, KeyId: (r) => r.uuid, Arn: (r) => r.arn('kms', `key/${r.uuid}`) },
  'AWS::KMS::Alias': { Ref: (r) => r.name },
  'AWS::SNS::Topic': { Ref: (r) => r.arn('sns', r.name), TopicArn: (r) => r.arn('sns', r.name), TopicName: (r) => r.name },
  'AWS::EC2::Subnet': { Ref: (r) => `subnet-0${r.hash(16)}`, SubnetId: (r) => `subnet-0${r.hash(16)}` },
  'AWS::EC2::SecurityGroup': { Ref: (r) => `sg-0${r.hash(16)}`, GroupId: (r) => `sg-0${r.hash(16)}` },
  'AWS::EC2::VPC': { Ref: (r) => `vpc-0${r.hash(16)}`, VpcId: (r) => `vpc-0${r.hash(16)}`, DefaultSecurityGroup: (r) => `sg-0${r.hash(15)}d` },
  'AWS::Lambda::Function': { Ref: (r) => r.name, Arn: (r) => r.arn('lambda', `function:${r.name}`) },
  'AWS::S3::Bucket': { Ref: (r) => r.bucket, Arn: (r) => `arn:aws:s3:::${r.bucket}`, DomainName: (r) => `${r.bucket}.s3.amazonaws.com` },
  'AWS::Athena::WorkGroup': { Ref: (r) => r.name },
  'AWS::Glue::Database': { Ref: (r) => r.name },
  'AWS::Logs::LogGroup': { Ref: (r) => r.name, Arn: (r) => r.arn('logs', `log-group:${r.name}:*`) },
  'AWS::StepFunctions::StateMachine': { Ref: (r) => r.arn('states', `stateMachine:${r.name}`), Arn: (r) => r.arn('states', `stateMachine:${r.name}`), Name: (r) => r.name },
  'AWS::SageMaker::ModelPackageGroup': {
    Ref: (r) => r.arn('sagemaker', `model-package-group/${r.name.toLowerCase()}`),
    ModelPackageGroupArn: (r) => r.arn('sagemaker', `model-package-group/${r.name.toLowerCase()}`),
    ModelPackageGroupName: (r) => r.name,
  },
  'AWS::Kinesis::Stream': { Ref: (r) => r.name, Arn: (r) => r.arn('kinesis', `stream/${r.name}`) },
  'AWS::Events::Rule': { Ref: (r) => r.name, Arn: (r) => r.arn('events', `rule/${r.name}`) },
  'AWS::SageMaker::MonitoringSchedule': { MonitoringScheduleArn: (r) => r.arn('sagemaker', `monitoring-schedule/${r.name.toLowerCase()}`), MonitoringScheduleName: (r) => r.name },
  'AWS::SQS::Queue': { Ref: (r) => `https://sqs.${r.region}.amazonaws.com/${r.account}/${r.name}`, Arn: (r) => r.arn('sqs', r.name), QueueName: (r) => r.name },
};

const isIntrinsic = (v) => v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && (Object.keys(v)[0] === 'Ref' || Object.keys(v)[0].startsWith('Fn::') || Object.keys(v)[0] === 'Condition');

/**
 * A resolver over the loaded templates: `value(entry, node)` renders a node (intrinsics included) to plain JSON;
 * `resource(entry, id, attr)` gives a resource's Ref or attribute. Unresolvable intrinsics throw a ToolError that
 * names them: a rehearsal with a made-up value would prove nothing. A template parameter renders as its Default, or as
 * `options.parameters[name]` when given (a stack deployed with that value, e.g. ModelPackageArn of a served version).
 */
export function makeResolver(entries, { parameters = {} } = {}) {
  const exportsByName = new Map();
  for (const entry of entries) {
    for (const [outputId, out] of Object.entries(entry.tpl.Outputs ?? {})) {
      if (out?.Export?.Name === undefined) continue;
      const name = value(entry, out.Export.Name);
      exportsByName.set(name, [...(exportsByName.get(name) ?? []), { entry, outputId, node: out.Value }]);
    }
  }

  function pseudo(entry, name) {
    switch (name) {
      case 'AWS::AccountId': return entry.account;
      case 'AWS::Region': return entry.region;
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return entry.stackName;
      case 'AWS::StackId': return `arn:aws:cloudformation:${entry.region}:${entry.account}:stack/${entry.stackName}/${uuid(entry.stackName)}`;
      case 'AWS::NoValue': return undefined;
      default: return undefined;
    }
  }

  function resource(entry, id, attr) {
    const res = entry.tpl.Resources[id];
    if (!res) throw new ToolError(`${entry.path}: ${attr === 'Ref' ? 'Ref' : 'Fn::GetAtt'} names no resource: ${id}`);
    const make = VALUES[res.Type]?.[attr];
    if (!make) throw new ToolError(`${entry.path}: no realistic value for ${attr === 'Ref' ? 'Ref' : `Fn::GetAtt ${attr}`} of ${res.Type} ${id}: add it to VALUES in lib/templates.mjs`);
    const nameProp = NAME_PROPERTY[res.Type]?.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), res.Properties);
    const given = nameProp === undefined ? undefined : value(entry, nameProp);
    const h = (n) => hex(`${entry.stackName}/${id}`, n);
    const name = typeof given === 'string' && given ? given : id;
    const r = {
      account: entry.account,
      region: entry.region,
      name,
      uuid: uuid(`${entry.stackName}/${id}`),
      hash: h,
      bucket: typeof given === 'string' && given ? given : `${entry.stackName}-${id}-${h(12)}`.toLowerCase().replace(/[^a-z0-9.-]/g, '-').slice(0, 63),
      arn: (service, rest) => `arn:aws:${service}:${entry.region}:${entry.account}:${rest}`,
    };
    return make(r);
  }

  function importValue(entry, nameNode) {
    const name = value(entry, nameNode);
    const found = exportsByName.get(name) ?? [];
    if (found.length === 0) throw new ToolError(`${entry.path}: Fn::ImportValue ${name}: no template given to the gate exports it (pass the exporting template too)`);
    if (found.length > 1) throw new ToolError(`${entry.path}: Fn::ImportValue ${name} is exported by ${found.map((f) => f.entry.path).join(', ')}`);
    return value(found[0].entry, found[0].node);
  }

  function condition(entry, name) {
    const c = entry.tpl.Conditions?.[name];
    if (c === undefined) throw new ToolError(`${entry.path}: no condition ${name}`);
    return value(entry, c) === true;
  }

  function value(entry, node) {
    if (Array.isArray(node)) return node.map((n) => value(entry, n)).filter((v) => v !== undefined);
    if (!node || typeof node !== 'object') return node;
    if (!isIntrinsic(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, value(entry, v)]).filter(([, v]) => v !== undefined));
    const [fn, arg] = Object.entries(node)[0];
    switch (fn) {
      case 'Ref': {
        if (arg.startsWith('AWS::')) return pseudo(entry, arg);
        const p = entry.tpl.Parameters?.[arg];
        if (p) return Object.hasOwn(parameters, arg) ? parameters[arg] : p.Type === 'AWS::SSM::Parameter::Value<String>' ? '21' : p.Default ?? '';
        return resource(entry, arg, 'Ref');
      }
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? arg : [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)];
        return resource(entry, id, value(entry, attr));
      }
      case 'Fn::Join': return value(entry, arg[1]).join(arg[0]);
      case 'Fn::Split': return value(entry, arg[1]).split(arg[0]);
      case 'Fn::Select': return value(entry, arg[1])[Number(value(entry, arg[0]))];
      case 'Fn::ImportValue': return importValue(entry, arg);
      case 'Fn::FindInMap': {
        const [map, top, second] = arg.map((a) => value(entry, a));
        const v = entry.tpl.Mappings?.[map]?.[top]?.[second];
        if (v === undefined) throw new ToolError(`${entry.path}: Fn::FindInMap ${map}.${top}.${second} has no value`);
        return v;
      }
      case 'Fn::Sub': {
        const [text, vars] = typeof arg === 'string' ? [arg, {}] : arg;
        return text.replace(/\$\{([^}]+)\}/g, (m, name) => {
          if (name.startsWith('!')) return `\${${name.slice(1)}}`;
          if (vars[name] !== undefined) return value(entry, vars[name]);
          if (name.includes('.')) return resource(entry, name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1));
          return value(entry, { Ref: name });
        });
      }
      case 'Fn::If': return condition(entry, arg[0]) ? value(entry, arg[1]) : value(entry, arg[2]);
      case 'Fn::Equals': return value(entry, arg[0]) === value(entry, arg[1]);
      case 'Fn::Not': return !value(entry, arg[0]);
      case 'Fn::And': return arg.every((a) => value(entry, a));
      case 'Fn::Or': return arg.some((a) => value(entry, a));
      case 'Condition': return condition(entry, arg);
      default: throw new ToolError(`${entry.path}: intrinsic ${fn} is not rendered by the rehearsal`);
    }
  }

  return { value, resource, pseudo };
}

/** Every state machine of the templates, with its rendered definition and role. */
export function stateMachines(entries, resolver) {
  const out = [];
  for (const entry of entries) {
    for (const [logicalId, res] of Object.entries(entry.tpl.Resources)) {
      if (res?.Type !== 'AWS::StepFunctions::StateMachine') continue;
      const props = res.Properties ?? {};
      const subs = resolver.value(entry, props.DefinitionSubstitutions ?? {});
      let definition;
      if (props.Definition !== undefined) definition = resolver.value(entry, props.Definition);
      else if (props.DefinitionString !== undefined) {
        const text = String(resolver.value(entry, props.DefinitionString)).replace(/\$\{([A-Za-z0-9_]+)\}/g, (m, n) => subs[n] ?? m);
        try {
          definition = JSON.parse(text);
        } catch (e) {
          throw new ToolError(`${entry.path}: ${logicalId}: DefinitionString is not JSON after rendering: ${e.message}`);
        }
      } else throw new ToolError(`${entry.path}: ${logicalId}: no Definition or DefinitionString`);
      const roleNode = props.RoleArn;
      const roleLogicalId = roleNode?.['Fn::GetAtt']?.[0] ?? null;
      out.push({
        entry,
        logicalId,
        arn: resolver.resource(entry, logicalId, 'Ref'),
        name: resolver.resource(entry, logicalId, 'Name'),
        roleArn: resolver.value(entry, roleNode),
        roleLogicalId,
        definition,
      });
    }
  }
  return out;
}

/** The Lambda functions of the templates by rendered ARN: handler and environment (the mocks' configuration). */
export function lambdaFunctions(entries, resolver) {
  const byArn = new Map();
  for (const entry of entries) {
    for (const [logicalId, res] of Object.entries(entry.tpl.Resources)) {
      if (res?.Type !== 'AWS::Lambda::Function') continue;
      const arn = resolver.resource(entry, logicalId, 'Arn');
      byArn.set(arn, {
        logicalId,
        arn,
        handler: res.Properties?.Handler ?? null,
        environment: resolver.value(entry, res.Properties?.Environment?.Variables ?? {}),
      });
    }
  }
  return byArn;
}
