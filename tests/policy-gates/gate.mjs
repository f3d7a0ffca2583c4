#!/usr/bin/env node
// Policy gate: checks synthesized CloudFormation templates with
//   1. cdk-nag (AwsSolutions, Serverless, HIPAA.Security, NIST.800.53.R5 and PCI.DSS.321 packs), via aws-cdk-lib
//      CfnInclude, and
//   2. the AWS Control Tower proactive controls (cfn-guard rules bundled in
//      @cdklabs/cdk-validator-cfnguard), via the bundled static cfn-guard binary.
//
// Usage:
//   node tests/policy-gates/gate.mjs --report <report.json> [--work <tmp dir>] [--include-na]
//        <template.json> [<template.json> ...]
//
// Exit codes: 0 = no unsuppressed cdk-nag error or warning and no failed control,
//             1 = at least one unsuppressed cdk-nag error or warning, or a failed control,
//             2 = usage or tool failure (message on stderr).
//
// Suppressions (both live in the resource's template Metadata):
//   cdk-nag (read by cdk-nag itself, the form NagSuppressions writes):
//     "Metadata": { "cdk_nag": { "rules_to_suppress": [
//         { "id": "AwsSolutions-IAM5", "reason": ">= 10 chars",
//           "applies_to": ["Action::kms:GenerateDataKey*"] } ] } }
//     (template-level "Metadata.cdk_nag.rules_to_suppress" = stack-wide suppressions)
//   Control Tower (the CT .guard files have NO suppression mechanism, this gate
//   implements one by post-processing cfn-guard's results):
//     "Metadata": { "guard": {
//         "SuppressedRules": ["CT.KMS.PR.1"],
//         "SuppressionReasons": { "CT.KMS.PR.1": ">= 10 chars" } } }
//   SuppressedRules entries may be the control id (CT.KMS.PR.1), the rule file
//   name (ct-kms-pr-1) or the guard rule name (kms_key_rotation_enabled_check);
//   SuppressionReasons may be keyed by any of those. A suppression without a
//   reason of at least 10 characters is NOT honoured.

import { createRequire } from 'node:module';
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const SCRIPT_DIR = path.dirname(fileURLToPath(import.meta.url));

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_TOOL = 2;
const MIN_REASON_LENGTH = 10;
const MAX_MESSAGE = 600;
const NAG_PACKS = ['AwsSolutions', 'Serverless', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'];

class ToolError extends Error {}

// ---------------------------------------------------------------- arguments
const USAGE = 'usage: node tests/policy-gates/gate.mjs --report <report.json> [--work <tmp dir>] [--include-na] <template.json> [<template.json> ...]';

function parseArgs(argv) {
  const opts = { report: undefined, work: undefined, includeNa: false, templates: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--report' || a === '--work') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ToolError(`${a} needs a value\n${USAGE}`);
      opts[a.slice(2)] = v;
    } else if (a.startsWith('--report=')) {
      opts.report = a.slice('--report='.length);
    } else if (a.startsWith('--work=')) {
      opts.work = a.slice('--work='.length);
    } else if (a === '--include-na') {
      opts.includeNa = true;
    } else if (a === '-h' || a === '--help') {
      return { help: true };
    } else if (a.startsWith('-') && a !== '-') {
      throw new ToolError(`unknown option ${a}\n${USAGE}`);
    } else {
      opts.templates.push(a);
    }
  }
  if (!opts.report) throw new ToolError(`--report is required\n${USAGE}`);
  if (opts.templates.length === 0) throw new ToolError(`at least one template is required\n${USAGE}`);
  return opts;
}

// ---------------------------------------------------------------- tool locations
function packageDir(name) {
  return path.dirname(require.resolve(`${name}/package.json`));
}

function guardPaths() {
  const base = packageDir('@cdklabs/cdk-validator-cfnguard');
  const platform = os.platform() === 'linux' ? 'ubuntu' : os.platform() === 'darwin' ? 'macos' : undefined;
  const arch = process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : undefined;
  if (!platform || !arch) throw new ToolError(`cfn-guard: unsupported platform ${os.platform()}/${process.arch}`);
  const binary = path.join(base, 'bin', platform, arch, 'cfn-guard');
  const rulesDir = path.join(base, 'rules', 'control-tower', 'cfn-guard');
  if (!fs.existsSync(binary)) throw new ToolError(`cfn-guard binary missing: ${binary}`);
  try {
    fs.accessSync(binary, fs.constants.X_OK);
  } catch {
    throw new ToolError(`cfn-guard binary is not executable: ${binary}`);
  }
  if (!fs.existsSync(rulesDir)) throw new ToolError(`Control Tower rules directory missing: ${rulesDir}`);
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) throw new ToolError(`cfn-guard --version failed: ${version.stderr || version.error}`);
  return { binary, rulesDir, version: version.stdout.trim().replace(/^cfn-guard\s*/, ''), packageVersion: readJson(path.join(base, 'package.json')).version };
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// ---------------------------------------------------------------- Control Tower rule catalogue
// Every .guard file holds exactly one control; its top-level rule name (the
// name cfn-guard reports) is unique across the bundle.
function loadControlCatalogue(rulesDir) {
  const byRuleName = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.guard')) {
        const text = fs.readFileSync(p, 'utf8');
        const ruleFile = path.basename(entry.name, '.guard');
        const names = new Set([...text.matchAll(/^rule\s+([A-Za-z0-9_]+)\s+when\b/gm)].map((m) => m[1]));
        const idMatch = text.match(/\[(CT\.[A-Z0-9-]+\.PR\.\d+)\]:\s*(.*)/);
        const fixMatch = text.match(/\[FIX\]:\s*(.*)/);
        const reportsOn = [];
        const ro = text.match(/#\s*Reports on:\s*\n((?:#\s+AWS::[^\n]*\n)+)/);
        if (ro) for (const m of ro[1].matchAll(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g)) reportsOn.push(m[0]);
        const types = new Set([...text.matchAll(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g)].map((m) => m[0]));
        const controlId = idMatch ? idMatch[1] : ruleFile.toUpperCase().replace(/-/g, '.');
        for (const name of names) {
          if (byRuleName.has(name)) throw new ToolError(`guard rule name ${name} defined in two rule files`);
          byRuleName.set(name, {
            controlId,
            ruleFile,
            ruleName: name,
            service: path.basename(dir),
            title: idMatch ? idMatch[2].trim() : '',
            fix: fixMatch ? fixMatch[1].trim() : '',
            reportsOn,
            path: p,
            types,
          });
        }
      }
    }
  };
  walk(rulesDir);
  return byRuleName;
}

// ---------------------------------------------------------------- template loading
function loadTemplate(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ToolError(`template unreadable: ${file}: ${e.message}`);
  }
  let tpl;
  try {
    tpl = JSON.parse(text);
  } catch (e) {
    throw new ToolError(`template is not valid JSON: ${file}: ${e.message}`);
  }
  if (!tpl || typeof tpl !== 'object' || !tpl.Resources || typeof tpl.Resources !== 'object') {
    throw new ToolError(`template has no Resources section: ${file}`);
  }
  return tpl;
}

// ---------------------------------------------------------------- cross-stack imports (Control Tower pass only)
// The CT guard rules accept only literal strings or same-template Ref/GetAtt, but
// the Control Tower CloudFormation hook evaluates *resolved* property values at
// deploy time. For the cfn-guard pass only (cdk-nag gets the original template),
// every {"Fn::ImportValue": name} is replaced by a literal:
//   * exporter among the gate's inputs and the output value is a Ref/GetAtt of a
//     resource whose shape is known (PLACEHOLDERS) or evaluates to a literal
//     -> a representative literal of the right shape (ARN, subnet-..., sg-...);
//   * otherwise -> "imported:<export name>" (listed in unresolvedImports).
// At a TYPED position (TYPED_REFERENCES: the properties for which a control accepts
// only a reference to a given resource type, e.g. LogGroup.KmsKeyId -> AWS::KMS::Key)
// the substitution is made only if the import resolves to that type; otherwise the
// original Fn::ImportValue is left in place, so the control fails exactly as it did
// before, and the failure carries an `unresolvedImports` note.
const IMPORTED_PREFIX = 'imported:';
const DEFAULT_ENV = { partition: 'aws', region: 'us-east-1', account: '111111111111', urlSuffix: 'amazonaws.com' };
const T = {
  KEY: 'AWS::KMS::Key', ALIAS: 'AWS::KMS::Alias', SUBNET: 'AWS::EC2::Subnet', SG: 'AWS::EC2::SecurityGroup',
  LOG_GROUP: 'AWS::Logs::LogGroup', BUCKET: 'AWS::S3::Bucket', QUEUE: 'AWS::SQS::Queue', ROLE: 'AWS::IAM::Role',
};

// Properties (paths under Properties; '*' = any list index / map key) where a control
// accepts a literal or a local reference to one of `expect`; mirrors the
// check_local_references(..., "<type>") calls of the bundled .guard files.
export const TYPED_REFERENCES = {
  'AWS::Logs::LogGroup': [{ path: 'KmsKeyId', expect: [T.KEY], controls: ['CT.CLOUDWATCH.PR.3'] }],
  'AWS::Lambda::Function': [
    { path: 'VpcConfig.SubnetIds.*', expect: [T.SUBNET], controls: ['CT.LAMBDA.PR.3'] },
    { path: 'VpcConfig.SecurityGroupIds.*', expect: [T.SG], controls: ['CT.LAMBDA.PR.3'] },
  ],
  'AWS::Kinesis::Stream': [{ path: 'StreamEncryption.KeyId', expect: [T.KEY, T.ALIAS], controls: ['CT.KINESIS.PR.1'] }],
  'AWS::SQS::Queue': [
    { path: 'KmsMasterKeyId', expect: [T.KEY, T.ALIAS], controls: ['CT.SQS.PR.2'] },
    { path: 'RedrivePolicy.deadLetterTargetArn', expect: [T.QUEUE], controls: ['CT.SQS.PR.1'] },
  ],
  'AWS::Athena::WorkGroup': [{ path: 'WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration.KmsKey', expect: [T.KEY, T.ALIAS], controls: ['CT.ATHENA.PR.2'] }],
  'AWS::S3::Bucket': [{ path: 'LoggingConfiguration.DestinationBucketName', expect: [T.BUCKET], controls: ['CT.S3.PR.2'] }],
  'AWS::StepFunctions::StateMachine': [{ path: 'LoggingConfiguration.Destinations.*.CloudWatchLogsLogGroup.LogGroupArn', expect: [T.LOG_GROUP], controls: ['CT.STEPFUNCTIONS.PR.1'] }],
  'AWS::Glue::Job': [{ path: 'SecurityConfiguration', expect: ['AWS::Glue::SecurityConfiguration'], controls: ['CT.GLUE.PR.1'] }],
  'AWS::SageMaker::NotebookInstance': [
    { path: 'SubnetId', expect: [T.SUBNET], controls: ['CT.SAGEMAKER.PR.1', 'CT.SAGEMAKER.PR.2'] },
    { path: 'SecurityGroupIds.*', expect: [T.SG], controls: ['CT.SAGEMAKER.PR.1', 'CT.SAGEMAKER.PR.2'] },
  ],
  'AWS::CloudTrail::Trail': [
    { path: 'KMSKeyId', expect: [T.KEY, T.ALIAS], controls: ['CT.CLOUDTRAIL.PR.1'] },
    { path: 'CloudWatchLogsLogGroupArn', expect: [T.LOG_GROUP], controls: ['CT.CLOUDTRAIL.PR.3'] },
    { path: 'CloudWatchLogsRoleArn', expect: [T.ROLE], controls: ['CT.CLOUDTRAIL.PR.3'] },
  ],
  'AWS::CloudTrail::EventDataStore': [{ path: 'KmsKeyId', expect: [T.KEY, T.ALIAS], controls: ['CT.CLOUDTRAIL.PR.4'] }],
  'AWS::RDS::DBInstance': [{ path: 'KmsKeyId', expect: [T.KEY, T.ALIAS], controls: ['CT.RDS.PR.30'] }],
  'AWS::EKS::Cluster': [{ path: 'EncryptionConfig.*.Provider.KeyArn', expect: [T.KEY, T.ALIAS], controls: ['CT.EKS.PR.2'] }],
  'AWS::ApiGatewayV2::Stage': [{ path: 'AccessLogSettings.DestinationArn', expect: [T.LOG_GROUP], controls: ['CT.APIGATEWAY.PR.4'] }],
  'AWS::Redshift::Cluster': [{ path: 'LoggingProperties.BucketName', expect: [T.BUCKET], controls: ['CT.REDSHIFT.PR.3'] }],
  'AWS::OpenSearchService::Domain': [{ path: 'LogPublishingOptions.*.CloudWatchLogsLogGroupArn', expect: [T.LOG_GROUP], controls: ['CT.OPENSEARCH.PR.12', 'CT.OPENSEARCH.PR.13'] }],
  'AWS::Elasticsearch::Domain': [{ path: 'LogPublishingOptions.*.CloudWatchLogsLogGroupArn', expect: [T.LOG_GROUP], controls: ['CT.OPENSEARCH.PR.4', 'CT.OPENSEARCH.PR.5'] }],
  'AWS::AppSync::GraphQLApi': [{ path: 'LogConfig.CloudWatchLogsRoleArn', expect: [T.ROLE], controls: ['CT.APPSYNC.PR.1'] }],
};

// Stack name and environment of a template: from the cloud assembly's manifest.json
// next to it (CDK: properties.stackName, else the artifact id), else the file name.
function stackInfo(file) {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  const base = path.basename(abs);
  const info = { stackName: base.replace(/\.template\.json$/i, '').replace(/\.json$/i, ''), env: { ...DEFAULT_ENV }, dir };
  const manifest = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifest)) return info;
  try {
    for (const [id, a] of Object.entries(readJson(manifest).artifacts ?? {})) {
      if (a?.type !== 'aws:cloudformation:stack' || a.properties?.templateFile !== base) continue;
      info.stackName = a.properties.stackName ?? id;
      const m = /^aws:\/\/([^/]+)\/(.+)$/.exec(a.environment ?? '');
      if (m && /^\d{12}$/.test(m[1])) info.env.account = m[1];
      if (m && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(m[2])) info.env.region = m[2];
      if (info.env.region.startsWith('cn-')) Object.assign(info.env, { partition: 'aws-cn', urlSuffix: 'amazonaws.com.cn' });
      else if (info.env.region.startsWith('us-gov-')) info.env.partition = 'aws-us-gov';
    }
  } catch {
    // unreadable manifest: fall back to the file name
  }
  return info;
}

// Evaluates the intrinsics CloudFormation resolves (Ref, Fn::GetAtt, Fn::Join,
// Fn::Sub, Fn::Select, Fn::Split, Fn::ImportValue) to a string or list of strings;
// undefined when anything is unknown. ctx: { ref(name), getAtt(id, attr), importValue(arg) }.
function evaluate(v, ctx, depth = 0) {
  if (depth > 50) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    const out = v.map((x) => evaluate(x, ctx, depth + 1));
    return out.every((x) => typeof x === 'string') ? out : undefined;
  }
  if (!v || typeof v !== 'object') return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  const a = v[keys[0]];
  const ev = (x) => evaluate(x, ctx, depth + 1);
  switch (keys[0]) {
    case 'Ref':
      return typeof a === 'string' ? ctx.ref?.(a, depth + 1) : undefined;
    case 'Fn::GetAtt': {
      const parts = Array.isArray(a) ? a : typeof a === 'string' ? [a.slice(0, a.indexOf('.')), a.slice(a.indexOf('.') + 1)] : [];
      if (parts.length < 2 || typeof parts[0] !== 'string') return undefined;
      const attr = parts.length === 2 ? ev(parts[1]) : parts.slice(1).join('.');
      return typeof attr === 'string' ? ctx.getAtt?.(parts[0], attr, depth + 1) : undefined;
    }
    case 'Fn::Join': {
      if (!Array.isArray(a) || a.length !== 2 || typeof a[0] !== 'string') return undefined;
      const list = ev(a[1]);
      return Array.isArray(list) ? list.join(a[0]) : undefined;
    }
    case 'Fn::Split': {
      if (!Array.isArray(a) || a.length !== 2 || typeof a[0] !== 'string') return undefined;
      const s = ev(a[1]);
      return typeof s === 'string' ? s.split(a[0]) : undefined;
    }
    case 'Fn::Select': {
      if (!Array.isArray(a) || a.length !== 2) return undefined;
      const i = Number(ev(a[0]));
      const list = ev(a[1]);
      return Array.isArray(list) && Number.isInteger(i) && i >= 0 && i < list.length ? list[i] : undefined;
    }
    case 'Fn::Sub': {
      const [str, vars] = typeof a === 'string' ? [a, {}] : Array.isArray(a) && typeof a[0] === 'string' ? [a[0], a[1] ?? {}] : [];
      if (str === undefined || typeof vars !== 'object') return undefined;
      let ok = true;
      const out = str.replace(/\$\{([^}]*)\}/g, (m, name) => {
        if (name.startsWith('!')) return `\${${name.slice(1)}}`;
        let r;
        if (Object.prototype.hasOwnProperty.call(vars, name)) r = ev(vars[name]);
        else if (name.includes('.')) r = ctx.getAtt?.(name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1), depth + 1);
        else r = ctx.ref?.(name, depth + 1);
        if (typeof r !== 'string') ok = false;
        return typeof r === 'string' ? r : m;
      });
      return ok ? out : undefined;
    }
    case 'Fn::ImportValue':
      return ctx.importValue?.(a, depth + 1);
    default:
      return undefined;
  }
}

function pseudoParameter(name, info) {
  const { partition, region, account, urlSuffix } = info.env;
  switch (name) {
    case 'AWS::StackName': return info.stackName;
    case 'AWS::Region': return region;
    case 'AWS::AccountId': return account;
    case 'AWS::Partition': return partition;
    case 'AWS::URLSuffix': return urlSuffix;
    case 'AWS::StackId': return `arn:${partition}:cloudformation:${region}:${account}:stack/${info.stackName}/${hashHex(info.stackName, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')}`;
    default: return undefined;
  }
}

function hashHex(s, n) {
  return crypto.createHash('sha256').update(s).digest('hex').slice(0, n);
}

// Representative literal for Ref / GetAtt of a resource of a known type
// (CloudFormation return values). Names come from the resource's name property
// when it is a literal (or evaluates to one), else a generated name.
const NAME_PROPERTY = {
  'AWS::S3::Bucket': 'BucketName', 'AWS::Logs::LogGroup': 'LogGroupName', 'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName', 'AWS::IAM::Role': 'RoleName', 'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::Lambda::Function': 'FunctionName', 'AWS::Kinesis::Stream': 'Name', 'AWS::KinesisFirehose::DeliveryStream': 'DeliveryStreamName',
  'AWS::Glue::SecurityConfiguration': 'Name', 'AWS::Glue::Database': 'DatabaseInput.Name', 'AWS::Athena::WorkGroup': 'Name',
  'AWS::StepFunctions::StateMachine': 'StateMachineName', 'AWS::SecretsManager::Secret': 'Name', 'AWS::SSM::Parameter': 'Name',
  'AWS::DynamoDB::Table': 'TableName', 'AWS::ECR::Repository': 'RepositoryName', 'AWS::KMS::Alias': 'AliasName',
  'AWS::SageMaker::Model': 'ModelName', 'AWS::SageMaker::Endpoint': 'EndpointName', 'AWS::Events::EventBus': 'Name',
  'AWS::SageMaker::ModelPackageGroup': 'ModelPackageGroupName',
};
const PLACEHOLDERS = {
  'AWS::KMS::Key': { Ref: (p) => p.uuid, KeyId: (p) => p.uuid, Arn: (p) => p.arn('kms', `key/${p.uuid}`) },
  'AWS::KMS::Alias': { Ref: (p) => (p.name.startsWith('alias/') ? p.name : `alias/${p.name}`) },
  'AWS::EC2::VPC': { Ref: (p) => p.id('vpc'), VpcId: (p) => p.id('vpc'), CidrBlock: (p) => p.literal('CidrBlock') ?? '10.0.0.0/16', DefaultSecurityGroup: (p) => p.id('sg'), DefaultNetworkAcl: (p) => p.id('acl') },
  'AWS::EC2::Subnet': { Ref: (p) => p.id('subnet'), SubnetId: (p) => p.id('subnet'), VpcId: (p) => p.ref('VpcId', 'vpc'), AvailabilityZone: (p) => p.literal('AvailabilityZone') ?? `${p.env.region}a`, CidrBlock: (p) => p.literal('CidrBlock') ?? '10.0.0.0/24' },
  'AWS::EC2::SecurityGroup': { Ref: (p) => p.id('sg'), GroupId: (p) => p.id('sg'), VpcId: (p) => p.ref('VpcId', 'vpc') },
  'AWS::EC2::RouteTable': { Ref: (p) => p.id('rtb'), RouteTableId: (p) => p.id('rtb') },
  'AWS::EC2::VPCEndpoint': { Ref: (p) => p.id('vpce'), Id: (p) => p.id('vpce') },
  'AWS::EC2::NetworkAcl': { Ref: (p) => p.id('acl'), Id: (p) => p.id('acl') },
  'AWS::EC2::InternetGateway': { Ref: (p) => p.id('igw'), InternetGatewayId: (p) => p.id('igw') },
  'AWS::EC2::NatGateway': { Ref: (p) => p.id('nat'), NatGatewayId: (p) => p.id('nat') },
  'AWS::EC2::PrefixList': { Ref: (p) => p.id('pl'), PrefixListId: (p) => p.id('pl'), Arn: (p) => p.arn('ec2', `prefix-list/${p.id('pl')}`) },
  'AWS::S3::Bucket': { Ref: (p) => p.bucket, Arn: (p) => `arn:${p.env.partition}:s3:::${p.bucket}`, DomainName: (p) => `${p.bucket}.s3.${p.env.urlSuffix}`, RegionalDomainName: (p) => `${p.bucket}.s3.${p.env.region}.${p.env.urlSuffix}` },
  'AWS::Logs::LogGroup': { Ref: (p) => p.name, Arn: (p) => p.arn('logs', `log-group:${p.name}:*`) },
  'AWS::SNS::Topic': { Ref: (p) => p.arn('sns', p.name), TopicArn: (p) => p.arn('sns', p.name), TopicName: (p) => p.name },
  'AWS::SQS::Queue': { Ref: (p) => `https://sqs.${p.env.region}.${p.env.urlSuffix}/${p.env.account}/${p.name}`, QueueUrl: (p) => `https://sqs.${p.env.region}.${p.env.urlSuffix}/${p.env.account}/${p.name}`, Arn: (p) => p.arn('sqs', p.name), QueueName: (p) => p.name },
  'AWS::IAM::Role': { Ref: (p) => p.name, Arn: (p) => `arn:${p.env.partition}:iam::${p.env.account}:role/${p.name}`, RoleId: (p) => `AROA${p.hash(17).toUpperCase()}` },
  'AWS::IAM::ManagedPolicy': { Ref: (p) => `arn:${p.env.partition}:iam::${p.env.account}:policy/${p.name}`, PolicyArn: (p) => `arn:${p.env.partition}:iam::${p.env.account}:policy/${p.name}` },
  'AWS::Lambda::Function': { Ref: (p) => p.name, Arn: (p) => p.arn('lambda', `function:${p.name}`) },
  'AWS::Kinesis::Stream': { Ref: (p) => p.name, Arn: (p) => p.arn('kinesis', `stream/${p.name}`) },
  'AWS::KinesisFirehose::DeliveryStream': { Ref: (p) => p.name, Arn: (p) => p.arn('firehose', `deliverystream/${p.name}`) },
  'AWS::Glue::SecurityConfiguration': { Ref: (p) => p.name },
  'AWS::Glue::Database': { Ref: (p) => p.name },
  'AWS::Athena::WorkGroup': { Ref: (p) => p.name },
  'AWS::StepFunctions::StateMachine': { Ref: (p) => p.arn('states', `stateMachine:${p.name}`), Arn: (p) => p.arn('states', `stateMachine:${p.name}`), Name: (p) => p.name },
  'AWS::SecretsManager::Secret': { Ref: (p) => p.arn('secretsmanager', `secret:${p.name}-${p.hash(6)}`), Id: (p) => p.arn('secretsmanager', `secret:${p.name}-${p.hash(6)}`) },
  'AWS::SSM::Parameter': { Ref: (p) => p.name },
  'AWS::DynamoDB::Table': { Ref: (p) => p.name, Arn: (p) => p.arn('dynamodb', `table/${p.name}`) },
  'AWS::ECR::Repository': { Ref: (p) => p.name, Arn: (p) => p.arn('ecr', `repository/${p.name}`) },
  'AWS::Events::EventBus': { Ref: (p) => p.name, Name: (p) => p.name, Arn: (p) => p.arn('events', `event-bus/${p.name}`) },
  // Ref is the group's ARN, as is GetAtt ModelPackageGroupArn.
  'AWS::SageMaker::ModelPackageGroup': { Ref: (p) => p.arn('sagemaker', `model-package-group/${p.name}`), ModelPackageGroupArn: (p) => p.arn('sagemaker', `model-package-group/${p.name}`) },
  'AWS::CertificateManager::Certificate': { Ref: (p) => p.arn('acm', `certificate/${p.uuid}`) },
};

// Resource type a literal value refers to, from its shape (for exports whose value
// is a literal or a composite, and for composites built from imports).
const LITERAL_KINDS = [
  [/^arn:aws[\w-]*:kms:[^:]*:\d{12}:key\/\S+$/, T.KEY],
  [/^(arn:aws[\w-]*:kms:[^:]*:\d{12}:)?alias\/\S+$/, T.ALIAS],
  [/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/, T.KEY],
  [/^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/, T.SUBNET],
  [/^sg-[0-9a-f]{8}([0-9a-f]{9})?$/, T.SG],
  [/^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/, 'AWS::EC2::VPC'],
  [/^arn:aws[\w-]*:logs:[^:]*:\d{12}:log-group:\S+$/, T.LOG_GROUP],
  [/^arn:aws[\w-]*:sqs:[^:]*:\d{12}:\S+$/, T.QUEUE],
  [/^arn:aws[\w-]*:iam::\d{12}:role\/\S+$/, T.ROLE],
  [/^arn:aws[\w-]*:s3:::[^/]+$/, T.BUCKET],
  [/^arn:aws[\w-]*:sns:[^:]*:\d{12}:\S+$/, 'AWS::SNS::Topic'],
  [/^arn:aws[\w-]*:lambda:[^:]*:\d{12}:function:\S+$/, 'AWS::Lambda::Function'],
  [/^arn:aws[\w-]*:kinesis:[^:]*:\d{12}:stream\/\S+$/, 'AWS::Kinesis::Stream'],
  [/^arn:aws[\w-]*:acm:[^:]*:\d{12}:certificate\/\S+$/, 'AWS::CertificateManager::Certificate'],
];
function literalKind(s) {
  return typeof s === 'string' ? LITERAL_KINDS.find(([re]) => re.test(s))?.[1] : undefined;
}

function getPath(obj, dotted) {
  return dotted.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), obj);
}

// The exporting side: a context that evaluates a template's intrinsics with
// placeholders for its resources.
function exporterContext(entry, resolveImport) {
  const { tpl, info } = entry;
  const ctx = {
    ref: (name, depth) => {
      const pseudo = pseudoParameter(name, info);
      if (pseudo !== undefined) return pseudo;
      return tpl.Resources[name] ? ctx.resourceValue(name, 'Ref', depth)?.value : undefined; // Parameters: value unknown
    },
    getAtt: (id, attr, depth) => ctx.resourceValue(id, attr, depth)?.value,
    importValue: (arg, depth) => (depth > 20 ? undefined : resolveImport(arg, entry, depth)?.value),
    resourceValue: (id, attr, depth = 0) => {
      const res = tpl.Resources[id];
      const make = res && PLACEHOLDERS[res.Type]?.[attr];
      if (!make || depth > 20) return undefined;
      const h = hashHex(`${info.stackName}/${id}`, 32);
      const nameProp = NAME_PROPERTY[res.Type] && getPath(res.Properties, NAME_PROPERTY[res.Type]);
      const given = nameProp === undefined ? undefined : evaluate(nameProp, ctx, depth + 1);
      const name = typeof given === 'string' && given ? given : `${info.stackName}-${id}-${h.slice(0, 12)}`;
      const p = {
        env: info.env,
        uuid: h.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
        id: (prefix) => `${prefix}-0${h.slice(0, 16)}`,
        hash: (n) => h.slice(0, n),
        name,
        bucket: typeof given === 'string' && given ? given : `${info.stackName}-${id}-${h.slice(0, 12)}`.toLowerCase().replace(/[^a-z0-9.-]/g, '-').slice(0, 63).replace(/[-.]+$/, ''),
        arn: (service, resource) => `arn:${info.env.partition}:${service}:${info.env.region}:${info.env.account}:${resource}`,
        literal: (prop) => {
          const v = res.Properties?.[prop];
          return typeof v === 'string' ? v : undefined;
        },
        ref: (prop, prefix) => {
          const v = res.Properties?.[prop];
          const r = v && typeof v === 'object' && typeof v.Ref === 'string' ? ctx.ref(v.Ref, depth + 1) : undefined;
          return typeof v === 'string' ? v : r ?? `${prefix}-0${hashHex(`${info.stackName}/${id}/${prop}`, 16)}`;
        },
      };
      return { value: make(p), type: res.Type };
    },
  };
  return ctx;
}

// Resolves every Fn::ImportValue of every input template (see the section header).
// Returns per template: { guardTpl, resolved[], unresolved[], notes: Map<logicalId, [note]> }.
export function resolveImports(entries) {
  for (const e of entries) e.info ??= stackInfo(e.path);
  const exportsByName = new Map();
  const contexts = new Map();
  const cache = new Map();

  const resolveImport = (arg, importer, depth = 0) => {
    const ictx = { ref: (n) => pseudoParameter(n, importer.info) };
    const name = evaluate(arg, ictx);
    if (typeof name !== 'string') return { exportName: JSON.stringify(arg), reason: 'the export name is not a literal after evaluating intrinsics' };
    const key = `${importer.info.dir}\u0000${name}`;
    if (cache.has(key)) return cache.get(key);
    cache.set(key, { exportName: name, reason: 'circular export reference' });
    let r = { exportName: name };
    let cands = exportsByName.get(name) ?? [];
    if (cands.length > 1) {
      const same = cands.filter((c) => c.entry.info.dir === importer.info.dir);
      if (same.length) cands = same;
    }
    if (cands.length === 0) r.reason = 'no input template exports this name (pass the exporting template to the gate)';
    else if (cands.length > 1) r.reason = `exported by ${cands.length} input templates: ${cands.map((c) => c.entry.path).join(', ')}`;
    else {
      const { entry, outputId, value } = cands[0];
      Object.assign(r, { exportingTemplate: entry.path, exportingStack: entry.info.stackName, output: outputId });
      const ctx = contexts.get(entry);
      const direct = value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 ? value : undefined;
      let refTarget;
      if (direct?.Ref !== undefined && typeof direct.Ref === 'string' && entry.tpl.Resources[direct.Ref]) refTarget = [direct.Ref, 'Ref'];
      else if (direct?.['Fn::GetAtt'] !== undefined) {
        const g = direct['Fn::GetAtt'];
        const parts = Array.isArray(g) ? g : typeof g === 'string' ? [g.slice(0, g.indexOf('.')), g.slice(g.indexOf('.') + 1)] : [];
        if (typeof parts[0] === 'string' && typeof parts[1] === 'string' && entry.tpl.Resources[parts[0]]) refTarget = [parts[0], parts.slice(1).join('.')];
      }
      if (refTarget) {
        const type = entry.tpl.Resources[refTarget[0]].Type;
        r.source = refTarget[1] === 'Ref' ? `Ref ${refTarget[0]}` : `Fn::GetAtt ${refTarget[0]}.${refTarget[1]}`;
        r.resourceType = type;
        const v = ctx.resourceValue(refTarget[0], refTarget[1], depth + 1);
        if (v) Object.assign(r, { value: v.value, kind: type });
        else r.reason = `no placeholder shape for ${refTarget[1] === 'Ref' ? 'Ref' : `Fn::GetAtt ${refTarget[1]}`} of ${type}`;
      } else {
        const v = evaluate(value, ctx, depth + 1);
        r.source = typeof value === 'string' ? 'literal' : 'intrinsic';
        if (typeof v === 'string') Object.assign(r, { value: v, kind: literalKind(v) });
        else r.reason = 'the output value cannot be evaluated to a literal';
      }
    }
    cache.set(key, r);
    return r;
  };

  for (const entry of entries) {
    const ctx = exporterContext(entry, resolveImport);
    contexts.set(entry, ctx);
    for (const [outputId, out] of Object.entries(entry.tpl.Outputs ?? {})) {
      if (out?.Export?.Name === undefined) continue;
      const name = evaluate(out.Export.Name, { ref: (n) => pseudoParameter(n, entry.info) });
      if (typeof name !== 'string') continue;
      if (!exportsByName.has(name)) exportsByName.set(name, []);
      const list = exportsByName.get(name);
      // the same file given twice is one exporter
      if (!list.some((c) => path.resolve(c.entry.path) === path.resolve(entry.path))) list.push({ entry, outputId, value: out.Value });
    }
  }

  return entries.map((importer) => {
    const resolved = [];
    const unresolved = [];
    const notes = new Map();
    const foldCtx = { ref: (n) => pseudoParameter(n, importer.info) };
    const isImport = (n) => n && typeof n === 'object' && !Array.isArray(n) && Object.keys(n).length === 1 && 'Fn::ImportValue' in n;
    const pointer = (p) => '/' + p.map((k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

    // Substitutes imports below `node`; returns { value, records, hasImport }.
    const subst = (node, p) => {
      if (isImport(node)) {
        const r = resolveImport(node['Fn::ImportValue'], importer);
        const literal = r.value ?? `${IMPORTED_PREFIX}${r.exportName}`;
        return { value: literal, records: [{ p, r, placeholder: literal }], hasImport: true };
      }
      if (Array.isArray(node)) {
        const parts = node.map((x, i) => subst(x, [...p, i]));
        return { value: parts.map((x) => x.value), records: parts.flatMap((x) => x.records), hasImport: parts.some((x) => x.hasImport) };
      }
      if (!node || typeof node !== 'object') return { value: node, records: [], hasImport: false };
      const entries2 = Object.entries(node).map(([k, v]) => [k, subst(v, [...p, k])]);
      const out = { value: Object.fromEntries(entries2.map(([k, x]) => [k, x.value])), records: entries2.flatMap(([, x]) => x.records), hasImport: entries2.some(([, x]) => x.hasImport) };
      // Fold an intrinsic that became all-literal (Join/Sub/Select/Split around an import).
      const keys = Object.keys(node);
      if (out.hasImport && keys.length === 1 && ['Fn::Join', 'Fn::Sub', 'Fn::Select', 'Fn::Split'].includes(keys[0])) {
        const folded = evaluate(out.value, foldCtx);
        if (folded !== undefined) out.value = folded;
      }
      return out;
    };

    const resourceOf = (rp) => (rp[0] === 'Resources' ? rp[1] : null);
    const accept = (records) => {
      for (const { p: rp, r, placeholder } of records) {
        const base = { resource: resourceOf(rp), path: pointer(rp), exportName: r.exportName, exportingTemplate: r.exportingTemplate ?? null };
        if (r.value !== undefined) resolved.push({ ...base, exportingStack: r.exportingStack, output: r.output, source: r.source, resourceType: r.kind ?? r.resourceType ?? null, placeholder });
        else unresolved.push({ ...base, placeholder, reason: r.reason });
      }
    };
    const reject = (records, p, spec, reason) => {
      const resourceId = p[1];
      for (const { p: rp, r } of records) {
        const why = r.value === undefined ? r.reason : reason;
        unresolved.push({ resource: resourceOf(rp), path: pointer(rp), exportName: r.exportName, exportingTemplate: r.exportingTemplate ?? null, placeholder: null, reason: why, expectedTypes: spec.expect, controls: spec.controls });
        if (!notes.has(resourceId)) notes.set(resourceId, []);
        notes.get(resourceId).push({ controls: spec.controls, path: pointer(rp), exportName: r.exportName, reason: why });
      }
    };

    const typedSpecs = (type) => (TYPED_REFERENCES[type] ?? []).map((s) => ({ ...s, parts: s.path.split('.') }));
    const matches = (parts, rel) => parts.length === rel.length && parts.every((k, i) => k === '*' || k === String(rel[i]));

    const walkProps = (node, p, rel, specs) => {
      const spec = specs.find((s) => matches(s.parts, rel) || (s.parts.at(-1) === '*' && !Array.isArray(node) && matches(s.parts.slice(0, -1), rel)));
      if (spec) {
        const s = subst(node, p);
        if (!s.hasImport) return node;
        const values = Array.isArray(s.value) ? s.value : [s.value];
        let reason;
        const unres = s.records.find((x) => x.r.value === undefined);
        if (unres) reason = unres.r.reason;
        else if (!values.every((v) => typeof v === 'string')) reason = 'the value is not a literal after substituting the import (it also uses a non-import intrinsic)';
        else {
          const kinds = isImport(node) ? [s.records[0].r.kind] : values.map(literalKind);
          const bad = kinds.find((k) => !spec.expect.includes(k));
          if (kinds.some((k) => !spec.expect.includes(k))) {
            reason = bad ? `type mismatch: the export is ${bad}${isImport(node) && s.records[0].r.source ? ` (${s.records[0].r.source})` : ''}, ${spec.controls.join('/')} needs ${spec.expect.join(' or ')}` : `the resolved value's type is unknown, ${spec.controls.join('/')} needs ${spec.expect.join(' or ')}`;
          }
        }
        if (reason) {
          reject(s.records, p, spec, reason);
          return node; // left as Fn::ImportValue: the control fails as without resolution
        }
        accept(s.records);
        return s.value;
      }
      if (isImport(node)) {
        const s = subst(node, p);
        accept(s.records);
        return s.value;
      }
      if (Array.isArray(node)) return node.map((x, i) => walkProps(x, [...p, i], [...rel, i], specs));
      if (node && typeof node === 'object') {
        const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walkProps(v, [...p, k], [...rel, k], specs)]));
        const keys = Object.keys(node);
        if (keys.length === 1 && ['Fn::Join', 'Fn::Sub', 'Fn::Select', 'Fn::Split'].includes(keys[0]) && JSON.stringify(out) !== JSON.stringify(node)) {
          const folded = evaluate(out, foldCtx);
          if (folded !== undefined) return folded;
        }
        return out;
      }
      return node;
    };

    const guardTpl = {};
    for (const [k, v] of Object.entries(importer.tpl)) {
      if (k === 'Resources') {
        guardTpl.Resources = {};
        for (const [id, res] of Object.entries(v)) {
          if (!res || typeof res !== 'object') {
            guardTpl.Resources[id] = res;
            continue;
          }
          const specs = typedSpecs(res.Type);
          guardTpl.Resources[id] = Object.fromEntries(Object.entries(res).map(([rk, rv]) => [rk, rk === 'Properties' ? walkProps(rv, ['Resources', id, 'Properties'], [], specs) : rk === 'Metadata' ? rv : walkProps(rv, ['Resources', id, rk], [null], [])]));
        }
      } else if (k === 'Metadata') {
        guardTpl[k] = v;
      } else {
        guardTpl[k] = walkProps(v, [k], [null], []);
      }
    }
    return { guardTpl, resolved, unresolved, notes };
  });
}

// ---------------------------------------------------------------- cdk-nag
let cdk; // lazily loaded modules
function loadCdk() {
  if (!cdk) {
    cdk = {
      lib: require('aws-cdk-lib'),
      include: require('aws-cdk-lib/cloudformation-include'),
      nag: require('cdk-nag'),
    };
  }
  return cdk;
}

const COMPLIANCE = {
  NON_COMPLIANT: 'non-compliant',
  SUPPRESSED: 'suppressed',
  COMPLIANT: 'compliant',
  NOT_APPLICABLE: 'N/A',
  UNKNOWN: 'unknown', // the rule threw (CdkNagValidationFailure)
};

function runNag(tpl, templatePath, index, workDir, includeNa, io) {
  const { lib, include, nag } = loadCdk();
  const outdir = path.join(workDir, `nag-${index + 1}`);
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });

  // Template-level Metadata (stack-wide cdk_nag suppressions) is moved to the
  // Stack's templateOptions, which is where cdk-nag looks for it; CfnInclude
  // would otherwise copy it verbatim and cdk-nag would not see it.
  const copy = { ...tpl };
  const stackMetadata = copy.Metadata;
  delete copy.Metadata;
  const includePath = path.join(outdir, 'input.template.json');
  fs.writeFileSync(includePath, JSON.stringify(copy));

  // builtinCloudFormationValidation: aws-cdk-lib >= 2.2xx runs a schema validator
  // on every synth (slow, prints to stderr, not part of this gate).
  const app = new lib.App({ outdir, analyticsReporting: false, treeMetadata: false, builtinCloudFormationValidation: false });
  const stackId = `GateStack${index + 1}`;
  // BootstraplessSynthesizer: adds no BootstrapVersion parameter / CheckBootstrapVersion
  // rule, so a CDK-synthesized template that already has them does not collide.
  const stack = new lib.Stack(app, stackId, {
    synthesizer: new lib.BootstraplessSynthesizer(),
    analyticsReporting: false,
  });
  if (stackMetadata !== undefined) stack.templateOptions.metadata = stackMetadata;
  try {
    new include.CfnInclude(stack, 'Template', { templateFile: includePath, preserveLogicalIds: true });
  } catch (e) {
    throw new ToolError(`CfnInclude failed for ${templatePath}: ${e.message}`);
  }

  const events = [];
  const naCounts = Object.fromEntries(NAG_PACKS.map((p) => [p, 0]));
  const logicalIdOf = (resource) => {
    try {
      return lib.Stack.of(resource).resolve(resource.logicalId);
    } catch {
      return resource.node.id;
    }
  };
  const record = (compliance) => (data) => {
    if (compliance === COMPLIANCE.NOT_APPLICABLE) {
      naCounts[data.nagPackName] = (naCounts[data.nagPackName] ?? 0) + 1;
      if (!includeNa) return;
    }
    const resource = data.resource;
    const isValidationFailure = 'errorMessage' in data;
    const ev = {
      pack: data.nagPackName,
      ruleId: isValidationFailure && compliance !== COMPLIANCE.SUPPRESSED ? 'CdkNagValidationFailure' : data.ruleId,
      findingId: isValidationFailure ? data.ruleId : data.findingId ?? '',
      resource: logicalIdOf(resource),
      resourceType: resource.cfnResourceType,
      level: isValidationFailure && compliance !== COMPLIANCE.SUPPRESSED ? 'Warning' : data.ruleLevel,
      compliance,
      ruleInfo: data.ruleInfo,
      explanation: data.ruleExplanation,
    };
    if (isValidationFailure) ev.errorMessage = data.errorMessage;
    if (compliance === COMPLIANCE.SUPPRESSED) ev.reason = data.suppressionReason ?? data.errorSuppressionReason ?? '';
    if (isValidationFailure && compliance === COMPLIANCE.SUPPRESSED) ev.findingId = 'CdkNagValidationFailure';
    events.push(ev);
  };
  // Structured collector: receives exactly what cdk-nag's own loggers receive
  // (including the finding id of granular rules), unlike the CSV report.
  const collector = () => ({
    onCompliance: record(COMPLIANCE.COMPLIANT),
    onNonCompliance: record(COMPLIANCE.NON_COMPLIANT),
    onSuppressed: record(COMPLIANCE.SUPPRESSED),
    onError: record(COMPLIANCE.UNKNOWN),
    onSuppressedError: record(COMPLIANCE.SUPPRESSED),
    onNotApplicable: record(COMPLIANCE.NOT_APPLICABLE),
  });

  lib.Aspects.of(app).add(new nag.AwsSolutionsChecks({ reports: true, verbose: true, additionalLoggers: [collector()] }));
  lib.Aspects.of(app).add(new nag.ServerlessChecks({ reports: true, verbose: true, additionalLoggers: [collector()] }));
  lib.Aspects.of(app).add(new nag.HIPAASecurityChecks({ reports: true, verbose: true, additionalLoggers: [collector()] }));
  lib.Aspects.of(app).add(new nag.NIST80053R5Checks({ reports: true, verbose: true, additionalLoggers: [collector()] }));
  lib.Aspects.of(app).add(new nag.PCIDSS321Checks({ reports: true, verbose: true, additionalLoggers: [collector()] }));
  try {
    app.synth();
  } catch (e) {
    throw new ToolError(`cdk-nag synth failed for ${templatePath}: ${e.message}`);
  }

  // Cross-check against the CSV reports cdk-nag wrote (reports: true): every
  // non-N/A event must have a CSV line.
  const csvReports = {};
  for (const pack of NAG_PACKS) {
    // cdk-nag names it `${pack}-${stageId}-${stackName}-NagReport.csv`; the App's id is ''.
    const csvName = fs.readdirSync(outdir).find((f) => f.startsWith(`${pack}-`) && f.endsWith(`-${stackId}-NagReport.csv`));
    const csv = path.join(outdir, csvName ?? `${pack}--${stackId}-NagReport.csv`);
    const expected = events.filter((e) => e.pack === pack && e.compliance !== COMPLIANCE.NOT_APPLICABLE).length;
    if (fs.existsSync(csv)) {
      csvReports[pack] = csv;
      const lines = countCsvRecords(fs.readFileSync(csv, 'utf8')) - 1;
      if (lines !== expected) {
        io.err(`gate: warning: ${pack} CSV report has ${lines} rows, collector saw ${expected} (${templatePath})\n`);
      }
    } else if (expected > 0) {
      io.err(`gate: warning: ${pack} CSV report missing (${csv})\n`);
    }
  }

  const unusedSuppressions = findUnusedNagSuppressions(tpl, events);
  return { events, naCounts, csvReports, unusedSuppressions };
}

function countCsvRecords(text) {
  let records = 0;
  let inQuotes = false;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (c === '\n' && !inQuotes) {
      records++;
      any = false;
      continue;
    }
    any = true;
  }
  return records + (any ? 1 : 0);
}

function findUnusedNagSuppressions(tpl, events) {
  const unused = [];
  for (const [logicalId, res] of Object.entries(tpl.Resources)) {
    const rules = res?.Metadata?.cdk_nag?.rules_to_suppress;
    if (!Array.isArray(rules)) continue;
    for (const s of rules) {
      const used = events.some((e) => e.resource === logicalId && e.compliance === COMPLIANCE.SUPPRESSED && (e.ruleId === s.id || (s.id === 'CdkNagValidationFailure' && e.findingId === 'CdkNagValidationFailure')));
      if (!used) unused.push({ tool: 'cdk-nag', rule: s.id, resource: logicalId, appliesTo: s.applies_to });
    }
  }
  return unused;
}

function nagCounts(events, naCounts) {
  const c = {
    evaluations: 0,
    rulesEvaluated: 0,
    passed: 0,
    errors: 0,
    warnings: 0,
    info: 0,
    suppressed: 0,
    unknown: 0,
    notApplicable: Object.values(naCounts).reduce((a, b) => a + b, 0),
  };
  const ruleIds = new Set();
  for (const e of events) {
    if (e.compliance === COMPLIANCE.NOT_APPLICABLE) continue;
    c.evaluations++;
    if (e.ruleId !== 'CdkNagValidationFailure') ruleIds.add(e.ruleId);
    switch (e.compliance) {
      case COMPLIANCE.COMPLIANT:
        c.passed++;
        break;
      case COMPLIANCE.SUPPRESSED:
        c.suppressed++;
        break;
      case COMPLIANCE.UNKNOWN:
        c.unknown++;
        c.warnings++;
        break;
      case COMPLIANCE.NON_COMPLIANT:
        if (e.level === 'Error') c.errors++;
        else if (e.level === 'Warning') c.warnings++;
        else c.info++;
        break;
    }
  }
  c.rulesEvaluated = ruleIds.size;
  return c;
}

// ---------------------------------------------------------------- Control Tower (cfn-guard)
// One cfn-guard process for all templates (rule parsing is ~0.7 s of fixed
// cost). It is started before cdk-nag runs and writes to files, so it proceeds
// on the second core while the (synchronous) cdk-nag synth blocks the event loop.
//
// Only the rule files that name a resource type some template has (or name none) are run. Every Control Tower rule
// SKIPs a document without the types it checks (its first scenario), and the gate counts a rule cfn-guard did not
// run as not applicable, as it counts a SKIP: the same report for a fraction of cfn-guard's time (51 of 237 rule
// files for this app's templates, a quarter of the time). A self-test compares the result with the whole directory.
export function applicableRuleFiles(catalogue, templates) {
  const present = new Set(templates.flatMap(({ tpl, guardTpl }) => Object.values((guardTpl ?? tpl).Resources ?? {}).map((r) => r?.Type)));
  const files = new Set();
  for (const rule of catalogue.values()) {
    if (rule.types.size === 0 || [...rule.types].some((t) => present.has(t))) files.add(rule.path);
  }
  return [...files].sort();
}

function startGuard(guard, ruleFiles, templates, workDir) {
  const dataFiles = templates.map(({ tpl, guardTpl }, i) => {
    const f = path.join(workDir, `guard-${i + 1}.template.json`);
    fs.writeFileSync(f, JSON.stringify(guardTpl ?? tpl)); // imports resolved (see resolveImports)
    return f;
  });
  const outFile = path.join(workDir, 'guard-output.json');
  const errFile = path.join(workDir, 'guard-stderr.txt');
  const args = ['validate', ...dataFiles.flatMap((f) => ['--data', f]), ...ruleFiles.flatMap((f) => ['--rules', f]), '--output-format', 'json', '--show-summary', 'none', '--structured'];
  const outFd = fs.openSync(outFile, 'w');
  const errFd = fs.openSync(errFile, 'w');
  const t0 = performance.now();
  let child;
  try {
    child = spawn(guard.binary, args, { stdio: ['ignore', outFd, errFd] });
  } finally {
    fs.closeSync(outFd);
    fs.closeSync(errFd);
  }
  const done = new Promise((resolve) => {
    child.on('error', (error) => resolve({ error, ms: performance.now() - t0 }));
    child.on('exit', (code, signal) => resolve({ code, signal, ms: performance.now() - t0 }));
  });
  return { child, done, dataFiles, outFile, errFile };
}

async function collectGuard(run) {
  const res = await run.done;
  const stderr = fs.existsSync(run.errFile) ? fs.readFileSync(run.errFile, 'utf8') : '';
  if (res.error) throw new ToolError(`cfn-guard failed to run: ${res.error.message}`);
  // cfn-guard exits 0 (all pass) or 19 (some rule failed); anything else is a tool failure.
  if (res.code !== 0 && res.code !== 19) {
    throw new ToolError(`cfn-guard exited ${res.code ?? res.signal}: ${stderr.slice(0, 2000)}`);
  }
  const stdout = fs.readFileSync(run.outFile, 'utf8');
  let parsed;
  try {
    parsed = JSON.parse(stdout);
  } catch (e) {
    throw new ToolError(`cfn-guard output is not JSON: ${e.message}: ${stdout.slice(0, 500)} ${stderr.slice(0, 500)}`);
  }
  if (!Array.isArray(parsed)) throw new ToolError('cfn-guard output is not a JSON array');
  const byFile = run.dataFiles.map((f) => parsed.find((e) => e && typeof e.name === 'string' && path.basename(e.name) === path.basename(f)));
  byFile.forEach((e, i) => {
    if (!e) throw new ToolError(`cfn-guard returned no result for ${run.dataFiles[i]}`);
  });
  return { results: byFile, ms: Math.round(res.ms) };
}

// Collect every /Resources/<LogicalId> the failing checks traversed to, with the
// error messages cfn-guard attached to checks on that resource.
function collectFailures(node, out = new Map(), inherited = []) {
  if (Array.isArray(node)) {
    for (const n of node) collectFailures(n, out, inherited);
    return out;
  }
  if (!node || typeof node !== 'object') return out;
  const msg = node.messages?.error_message;
  const here = [];
  for (const [k, v] of Object.entries(node)) {
    if (k === 'path' && typeof v === 'string') {
      const m = v.match(/^\/Resources\/([^/[\]]+)/);
      if (m) here.push(m[1]);
    }
  }
  if (typeof msg === 'string') {
    for (const m of msg.matchAll(/Path=\/Resources\/([^/[\]\s]+)/g)) here.push(m[1]);
  }
  for (const id of here) {
    if (!out.has(id)) out.set(id, new Set());
  }
  if (typeof msg === 'string' && msg) {
    const ids = here.length ? here : inherited;
    for (const id of ids) {
      if (!out.has(id)) out.set(id, new Set());
      out.get(id).add(msg.trim());
    }
  }
  for (const [k, v] of Object.entries(node)) {
    if (k === 'messages') continue;
    if (v && typeof v === 'object') collectFailures(v, out, here.length ? here : inherited);
  }
  return out;
}

function normaliseRuleRef(s) {
  return String(s).trim().toLowerCase();
}

function guardSuppression(resource, control) {
  const g = resource?.Metadata?.guard;
  if (!g || !Array.isArray(g.SuppressedRules)) return undefined;
  const aliases = new Set([control.controlId, control.ruleFile, control.ruleName].map(normaliseRuleRef));
  const hit = g.SuppressedRules.find((r) => typeof r === 'string' && aliases.has(normaliseRuleRef(r)));
  if (!hit) return undefined;
  let reason;
  const reasons = g.SuppressionReasons;
  if (reasons && typeof reasons === 'object') {
    for (const [k, v] of Object.entries(reasons)) {
      if (aliases.has(normaliseRuleRef(k)) && typeof v === 'string') reason = v;
    }
  }
  if (!reason || reason.trim().length < MIN_REASON_LENGTH) {
    return { honoured: false, entry: hit, note: `suppression of ${control.controlId} ignored: Metadata.guard.SuppressionReasons["${hit}"] must be a reason of at least ${MIN_REASON_LENGTH} characters` };
  }
  return { honoured: true, entry: hit, reason: reason.trim() };
}

function evaluateControls(guardResult, tpl, catalogue, importNotes = new Map()) {
  const compliant = new Set(guardResult.compliant ?? []);
  const failing = new Map();
  for (const item of guardResult.not_compliant ?? []) {
    const rule = item.Rule ?? item;
    if (!rule?.name) continue;
    if (!failing.has(rule.name)) failing.set(rule.name, []);
    failing.get(rule.name).push(rule);
  }
  for (const name of failing.keys()) {
    if (!catalogue.has(name)) throw new ToolError(`cfn-guard reported unknown rule ${name}`);
  }

  const results = [];
  const usedSuppressions = new Set();
  for (const control of [...catalogue.values()].sort(compareControls)) {
    const r = {
      controlId: control.controlId,
      ruleFile: control.ruleFile,
      ruleName: control.ruleName,
      title: control.title,
      status: 'not_applicable',
      failures: [],
      suppressions: [],
    };
    if (failing.has(control.ruleName)) {
      let perResource = collectFailures(failing.get(control.ruleName));
      // Restrict to the resource types the control reports on (cross-resource
      // checks also traverse referenced resources), when that leaves something.
      if (control.reportsOn.length) {
        const primary = new Map([...perResource].filter(([id]) => control.reportsOn.includes(tpl.Resources[id]?.Type)));
        if (primary.size) perResource = primary;
      }
      if (perResource.size === 0) perResource.set(null, new Set());
      for (const [id, msgs] of perResource) {
        const resource = id === null ? undefined : tpl.Resources[id];
        const messages = [...msgs].slice(0, 5).map((m) => (m.length > MAX_MESSAGE ? `${m.slice(0, MAX_MESSAGE)}...` : m));
        const finding = {
          controlId: control.controlId,
          ruleFile: control.ruleFile,
          resource: id ?? '(template)',
          resourceType: resource?.Type ?? '',
          title: control.title,
          fix: control.fix,
          message: messages[0] ?? control.title,
          messages,
        };
        const notes = id === null ? [] : (importNotes.get(id) ?? []).filter((n) => n.controls.includes(control.controlId));
        if (notes.length) finding.unresolvedImports = notes.map(({ path: p, exportName, reason }) => ({ path: p, exportName, reason }));
        const sup = resource ? guardSuppression(resource, control) : undefined;
        if (sup?.honoured) {
          usedSuppressions.add(`${id}\u0000${normaliseRuleRef(sup.entry)}`);
          r.suppressions.push({ ...finding, reason: sup.reason });
        } else {
          if (sup) finding.note = sup.note;
          r.failures.push(finding);
        }
      }
      r.status = r.failures.length ? 'fail' : 'suppressed';
    } else if (compliant.has(control.ruleName)) {
      r.status = 'pass';
    }
    results.push(r);
  }

  // Suppressions that did not match a failing control (stale or misspelled).
  const unused = [];
  for (const [id, res] of Object.entries(tpl.Resources)) {
    const list = res?.Metadata?.guard?.SuppressedRules;
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (!usedSuppressions.has(`${id}\u0000${normaliseRuleRef(entry)}`)) {
        const known = [...catalogue.values()].some((c) => [c.controlId, c.ruleFile, c.ruleName].map(normaliseRuleRef).includes(normaliseRuleRef(entry)));
        unused.push({ tool: 'control-tower', rule: String(entry), resource: id, note: known ? 'control did not fail on this resource' : 'unknown control id' });
      }
    }
  }
  return { results, unused };
}

function compareControls(a, b) {
  const ka = a.controlId.split('.');
  const kb = b.controlId.split('.');
  return ka[1].localeCompare(kb[1]) || Number(ka[3]) - Number(kb[3]) || a.ruleFile.localeCompare(b.ruleFile);
}

function controlCounts(results) {
  const c = { evaluated: 0, passed: 0, failed: 0, notApplicable: 0, suppressed: 0, failedFindings: 0, suppressedFindings: 0 };
  for (const r of results) {
    if (r.status === 'pass') c.passed++;
    else if (r.status === 'fail') c.failed++;
    else if (r.status === 'suppressed') c.suppressed++;
    else c.notApplicable++;
    c.failedFindings += r.failures.length;
    c.suppressedFindings += r.suppressions.length;
  }
  c.evaluated = c.passed + c.failed + c.suppressed;
  return c;
}

// ---------------------------------------------------------------- report
function pick(e, keys) {
  return Object.fromEntries(keys.filter((k) => e[k] !== undefined).map((k) => [k, e[k]]));
}
const NAG_FINDING_KEYS = ['pack', 'ruleId', 'findingId', 'resource', 'resourceType', 'level', 'compliance', 'ruleInfo', 'reason', 'errorMessage'];

function buildTemplateReport(templatePath, tpl, nagRes, ctrl, timing, imports = { resolved: [], unresolved: [] }) {
  const nagEvents = nagRes.events;
  const counts = nagCounts(nagEvents, nagRes.naCounts);
  const byPack = Object.fromEntries(NAG_PACKS.map((p) => [p, nagCounts(nagEvents.filter((e) => e.pack === p), { [p]: nagRes.naCounts[p] ?? 0 })]));
  const errors = nagEvents.filter((e) => e.compliance === COMPLIANCE.NON_COMPLIANT && e.level === 'Error');
  const warnings = nagEvents.filter((e) => (e.compliance === COMPLIANCE.NON_COMPLIANT && e.level !== 'Error') || e.compliance === COMPLIANCE.UNKNOWN);
  const suppressed = nagEvents.filter((e) => e.compliance === COMPLIANCE.SUPPRESSED);
  const cc = controlCounts(ctrl.results);
  return {
    template: templatePath,
    absolutePath: path.resolve(templatePath),
    passed: counts.errors === 0 && counts.warnings === 0 && cc.failed === 0,
    resources: Object.keys(tpl.Resources).length,
    durationMs: timing,
    nag: {
      packs: NAG_PACKS,
      counts,
      byPack,
      errors: errors.map((e) => pick(e, NAG_FINDING_KEYS)),
      warnings: warnings.map((e) => pick(e, NAG_FINDING_KEYS)),
      suppressed: suppressed.map((e) => pick(e, NAG_FINDING_KEYS)),
      findings: nagEvents.map((e) => pick(e, [...NAG_FINDING_KEYS, 'explanation'])),
      csvReports: nagRes.csvReports,
    },
    controls: {
      counts: cc,
      failed: ctrl.results.flatMap((r) => r.failures),
      suppressed: ctrl.results.flatMap((r) => r.suppressions),
      results: ctrl.results.map((r) => ({ controlId: r.controlId, ruleFile: r.ruleFile, ruleName: r.ruleName, title: r.title, status: r.status, failedResources: r.failures.map((f) => f.resource), suppressedResources: r.suppressions.map((f) => f.resource) })),
    },
    unusedSuppressions: [...nagRes.unusedSuppressions, ...ctrl.unused],
    importsResolved: imports.resolved,
    unresolvedImports: imports.unresolved,
  };
}

function buildTotals(templates) {
  const t = {
    templates: templates.length,
    resources: 0,
    nagEvaluations: 0,
    nagPassed: 0,
    nagErrors: 0,
    nagWarnings: 0,
    nagSuppressed: 0,
    nagUnknown: 0,
    nagNotApplicable: 0,
    controlsEvaluated: 0,
    controlsPassed: 0,
    controlsFailed: 0,
    controlsNotApplicable: 0,
    controlsSuppressed: 0,
    controlFindingsFailed: 0,
    controlFindingsSuppressed: 0,
    unusedSuppressions: 0,
    importsResolved: 0,
    importsUnresolved: 0,
  };
  for (const r of templates) {
    t.resources += r.resources;
    t.nagEvaluations += r.nag.counts.evaluations;
    t.nagPassed += r.nag.counts.passed;
    t.nagErrors += r.nag.counts.errors;
    t.nagWarnings += r.nag.counts.warnings;
    t.nagSuppressed += r.nag.counts.suppressed;
    t.nagUnknown += r.nag.counts.unknown;
    t.nagNotApplicable += r.nag.counts.notApplicable;
    t.controlsEvaluated += r.controls.counts.evaluated;
    t.controlsPassed += r.controls.counts.passed;
    t.controlsFailed += r.controls.counts.failed;
    t.controlsNotApplicable += r.controls.counts.notApplicable;
    t.controlsSuppressed += r.controls.counts.suppressed;
    t.controlFindingsFailed += r.controls.counts.failedFindings;
    t.controlFindingsSuppressed += r.controls.counts.suppressedFindings;
    t.unusedSuppressions += r.unusedSuppressions.length;
    t.importsResolved += r.importsResolved.length;
    t.importsUnresolved += r.unresolvedImports.length;
  }
  return t;
}

function flatFindings(templates) {
  const withT = (r, list) => list.map((f) => ({ template: r.template, ...f }));
  return {
    nagErrors: templates.flatMap((r) => withT(r, r.nag.errors)),
    nagWarnings: templates.flatMap((r) => withT(r, r.nag.warnings)),
    nagSuppressed: templates.flatMap((r) => withT(r, r.nag.suppressed)),
    controlsFailed: templates.flatMap((r) => withT(r, r.controls.failed)),
    controlsSuppressed: templates.flatMap((r) => withT(r, r.controls.suppressed)),
    unusedSuppressions: templates.flatMap((r) => withT(r, r.unusedSuppressions)),
  };
}

function flatImports(templates) {
  const withT = (r, list) => list.map((f) => ({ template: r.template, ...f }));
  return {
    importsResolved: templates.flatMap((r) => withT(r, r.importsResolved)),
    unresolvedImports: templates.flatMap((r) => withT(r, r.unresolvedImports)),
  };
}

// ---------------------------------------------------------------- human summary
function printSummary(report, io) {
  const out = [];
  const line = (s = '') => out.push(s);
  const oneLine = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();
  for (const r of report.templates) {
    const n = r.nag.counts;
    const c = r.controls.counts;
    line(`=== ${r.template}  [${r.passed ? 'PASS' : 'FAIL'}]  (${r.resources} resources; cdk-nag ${(r.durationMs.nag / 1000).toFixed(2)}s, controls ${(r.durationMs.controlsEvaluation / 1000).toFixed(2)}s + shared cfn-guard batch)`);
    line(`  cdk-nag (${r.nag.packs.join(', ')}): ${n.rulesEvaluated} rules / ${n.evaluations} evaluations, ${n.passed} passed, ${n.errors} failed (errors), ${n.warnings} warnings, ${n.suppressed} suppressed, ${n.notApplicable} not applicable`);
    for (const e of r.nag.errors) line(`    ERROR   ${e.ruleId}${e.findingId ? `[${e.findingId}]` : ''}  ${e.resource} (${e.resourceType})  ${oneLine(e.ruleInfo)}`);
    for (const e of r.nag.warnings) line(`    WARN    ${e.ruleId}${e.findingId ? `[${e.findingId}]` : ''}  ${e.resource} (${e.resourceType})  ${oneLine(e.errorMessage ?? e.ruleInfo)}`);
    for (const e of r.nag.suppressed) line(`    SUPPR   ${e.ruleId}${e.findingId ? `[${e.findingId}]` : ''}  ${e.resource}  ${oneLine(e.reason)}`);
    line(`  Control Tower: ${c.evaluated} controls evaluated, ${c.passed} passed, ${c.failed} failed, ${c.notApplicable} not applicable, ${c.suppressed} suppressed`);
    for (const f of r.controls.failed) line(`    FAIL    ${f.controlId}  ${f.resource} (${f.resourceType})  ${oneLine(f.title)} -- ${oneLine(f.message)}${f.note ? ` [${f.note}]` : ''}${(f.unresolvedImports ?? []).map((u) => ` [Fn::ImportValue ${u.exportName}: ${oneLine(u.reason)}]`).join('')}`);
    for (const s of r.controls.suppressed) line(`    SUPPR   ${s.controlId}  ${s.resource}  ${oneLine(s.reason)}`);
    for (const u of r.unusedSuppressions) line(`    UNUSED  ${u.tool} suppression ${u.rule} on ${u.resource}${u.note ? ` (${u.note})` : ''}`);
    if (r.importsResolved.length || r.unresolvedImports.length) {
      line(`  Fn::ImportValue (Control Tower pass only): ${r.importsResolved.length} resolved to placeholders, ${r.unresolvedImports.length} unresolved`);
      for (const u of r.unresolvedImports) line(`    UNRESOLVED  ${u.exportName}  ${u.path}  ${u.placeholder === null ? 'left as Fn::ImportValue' : `-> "${u.placeholder}"`}: ${oneLine(u.reason)}`);
    }
    line();
  }
  const t = report.totals;
  line(`=== TOTAL: ${t.templates} template(s), ${t.resources} resources, ${(report.durationMs / 1000).toFixed(2)}s wall (cfn-guard: one batch for all templates, ${(report.guardDurationMs / 1000).toFixed(2)}s, concurrent with cdk-nag)`);
  line(`  cdk-nag: ${t.nagEvaluations} evaluations, ${t.nagPassed} passed, ${t.nagErrors} failed (errors), ${t.nagWarnings} warnings, ${t.nagSuppressed} suppressed`);
  line(`  Control Tower: ${t.controlsEvaluated} controls evaluated, ${t.controlsPassed} passed, ${t.controlsFailed} failed, ${t.controlsNotApplicable} not applicable, ${t.controlsSuppressed} suppressed`);
  line(`  Cross-stack imports (Control Tower pass only): ${t.importsResolved} Fn::ImportValue resolved to placeholders, ${t.importsUnresolved} unresolved`);
  line(`  RESULT: ${report.passed ? 'PASS' : 'FAIL'} (exit ${report.exitCode})`);
  io.out(out.join('\n') + '\n');
}

// ---------------------------------------------------------------- main
function writeErrorReport(reportPath, message) {
  try {
    fs.mkdirSync(path.dirname(path.resolve(reportPath)), { recursive: true });
    fs.writeFileSync(reportPath, JSON.stringify({ schemaVersion: 1, passed: false, exitCode: EXIT_TOOL, error: message }, null, 2) + '\n');
  } catch {
    // the stderr message is what matters
  }
}

const STDIO = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** Runs the gate and returns its exit code; throws a ToolError (usage, unreadable input) after writing the report. */
export async function main(argv, io = STDIO) {
  let opts;
  try {
    opts = parseArgs(argv);
    if (opts.help) {
      io.out(USAGE + '\n');
      return EXIT_PASS;
    }
    return await run(opts, io);
  } catch (e) {
    if (e instanceof ToolError && opts?.report) writeErrorReport(opts.report, e.message);
    else if (opts?.report) writeErrorReport(opts.report, `internal error: ${e?.message ?? e}`);
    throw e;
  }
}

/** The command line: the gate's exit code, with a tool failure reported on `io.err` as exit 2. */
export async function cli(argv, io = STDIO) {
  try {
    return await main(argv, io);
  } catch (e) {
    if (e instanceof ToolError) io.err(`gate: error: ${e.message}\n`);
    else io.err(`gate: internal error: ${e?.stack ?? e}\n`);
    return EXIT_TOOL;
  }
}

async function run(opts, io) {
  const started = performance.now();
  const guard = guardPaths();
  const catalogue = loadControlCatalogue(guard.rulesDir);
  const templates = opts.templates.map((t) => ({ path: t, tpl: loadTemplate(t) }));
  // Control Tower pass only: Fn::ImportValue -> literal placeholders (cdk-nag gets `tpl`).
  const imports = resolveImports(templates);
  templates.forEach((t, i) => (t.guardTpl = imports[i].guardTpl));

  const ownWork = !opts.work;
  const workDir = opts.work ? path.resolve(opts.work) : fs.mkdtempSync(path.join(os.tmpdir(), 'policy-gate-'));
  fs.mkdirSync(workDir, { recursive: true });

  try {
    const ruleFiles = applicableRuleFiles(catalogue, templates);
    // No rule file names a type these templates have: every control is not applicable (and cfn-guard needs a rule file).
    const guardRun = ruleFiles.length > 0 ? startGuard(guard, ruleFiles, templates, workDir) : null;
    const tLoad = performance.now();
    loadCdk(); // one-time module load, kept out of the per-template numbers
    const startupMs = Math.round(performance.now() - tLoad);
    let nagResults;
    try {
      nagResults = templates.map(({ path: p, tpl }, i) => {
        const t0 = performance.now();
        const res = runNag(tpl, p, i, workDir, opts.includeNa, io);
        return { res, ms: Math.round(performance.now() - t0) };
      });
    } catch (e) {
      guardRun?.child.kill();
      throw e;
    }
    const guardOut = guardRun ? await collectGuard(guardRun) : { results: templates.map(() => ({})), ms: 0 };
    const reports = templates.map(({ path: p, tpl }, i) => {
      const t0 = performance.now();
      const ctrl = evaluateControls(guardOut.results[i], tpl, catalogue, imports[i].notes);
      const evalMs = Math.round(performance.now() - t0);
      return buildTemplateReport(p, tpl, nagResults[i].res, ctrl, { nag: nagResults[i].ms, controlsEvaluation: evalMs }, imports[i]);
    });
    const totals = buildTotals(reports);
    const passed = totals.nagErrors === 0 && totals.nagWarnings === 0 && totals.controlsFailed === 0;
    const report = {
      schemaVersion: 1,
      passed,
      exitCode: passed ? EXIT_PASS : EXIT_FAIL,
      durationMs: Math.round(performance.now() - started),
      tools: {
        cdkNag: readJson(path.join(packageDir('cdk-nag'), 'package.json')).version,
        awsCdkLib: readJson(path.join(packageDir('aws-cdk-lib'), 'package.json')).version,
        cfnGuard: guard.version,
        cdkValidatorCfnGuard: guard.packageVersion,
        controlTowerControls: catalogue.size,
        nagPacks: NAG_PACKS,
      },
      suppressionFormats: {
        cdkNag: 'Resources.<id>.Metadata.cdk_nag.rules_to_suppress[] = {id, reason, applies_to?} (template Metadata.cdk_nag for stack-wide)',
        controlTower: 'Resources.<id>.Metadata.guard.SuppressedRules[] = "CT.X.PR.n"; Resources.<id>.Metadata.guard.SuppressionReasons = {"CT.X.PR.n": "reason"}',
      },
      totals,
      findings: flatFindings(reports),
      ...flatImports(reports),
      templates: reports,
    };
    report.durationMs = Math.round(performance.now() - started);
    report.guardDurationMs = guardOut.ms;
    report.startupMs = startupMs;
    fs.mkdirSync(path.dirname(path.resolve(opts.report)), { recursive: true });
    fs.writeFileSync(opts.report, JSON.stringify(report, null, 2) + '\n');
    printSummary(report, io);
    return report.exitCode;
  } finally {
    if (ownWork) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  // process.exit() drops what a piped stdout has not taken yet (a summary over the pipe's 64 KiB); exit once it has.
  cli(process.argv.slice(2)).then((code) => process.stdout.write('', () => process.exit(code)));
}
