// Self-test of the permission coverage check: node --test tests/rehearsal/iam/
// Small fixture templates (fixtures/): base exports a state machine role and a job role, training attaches the role's
// policy across stacks, serving has CDK's SSM-typed BootstrapVersion and the role that updates the stack. Each defect is
// a variant of a fixture made in memory.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  actionExists, checkCall, evaluate, functionCalls, isAllowed, loadPermissionTable, normalizeIntegration, parseQuery, renderValue, rolePolicy, unknownActions,
} from './iam.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name) => JSON.parse(fs.readFileSync(path.join(here, 'fixtures', `${name}.template.json`), 'utf8'));
const TABLE = loadPermissionTable();

function trainingTemplates(mutate = () => {}) {
  const templates = { base: fixture('base'), training: fixture('training') };
  mutate(templates.training.Resources.TrainPolicy.Properties.PolicyDocument.Statement);
  return templates;
}

function servingTemplates(mutate = () => {}) {
  const templates = { serving: fixture('serving') };
  mutate(templates.serving.Resources.PromoteRole.Properties.Policies[0].PolicyDocument.Statement);
  return templates;
}

const TRAINING_CALL = {
  roleLogicalId: 'TrainRole',
  integration: 'arn:aws:states:::sagemaker:createTrainingJob.sync',
  parameters: { TrainingJobName: 'xgb-run-1', RoleArn: 'arn:aws:iam::111122223333:role/JobRole', AlgorithmSpecification: { TrainingImage: 'image', TrainingInputMode: 'File' } },
};

const STACK_ID = 'arn:aws:cloudformation:us-east-1:111122223333:stack/serving/00000000-0000-0000-0000-000000000000';
const EXEC_ROLE = 'arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1';
const UPDATE_CALL = {
  roleLogicalId: 'PromoteRole',
  integration: 'arn:aws:states:::aws-sdk:cloudformation:updateStack',
  parameters: {
    StackName: STACK_ID,
    UsePreviousTemplate: true,
    Parameters: [{ ParameterKey: 'ModelPackageArn', ParameterValue: 'arn:aws:sagemaker:us-east-1:111122223333:model-package/models/2' }, { ParameterKey: 'BootstrapVersion', UsePreviousValue: true }],
    Capabilities: ['CAPABILITY_IAM'],
    RoleARN: EXEC_ROLE,
  },
};

const actionsOf = (result) => result.findings.map((f) => f.action).sort();

describe('rendering and role policies', () => {
  it('renders roles, keys and stack ids with the fixed placeholders', () => {
    const templates = trainingTemplates();
    assert.equal(renderValue({ 'Fn::GetAtt': ['JobRole', 'Arn'] }, templates, templates.base), 'arn:aws:iam::111122223333:role/JobRole');
    assert.equal(renderValue({ 'Fn::ImportValue': 'base:JobRoleArn' }, templates, templates.training), 'arn:aws:iam::111122223333:role/JobRole');
    const serving = servingTemplates();
    assert.equal(renderValue({ Ref: 'AWS::StackId' }, serving, serving.serving), STACK_ID);
    const keys = { keys: { Resources: { DataKey: { Type: 'AWS::KMS::Key' }, Lake: { Type: 'AWS::S3::Bucket' } } } };
    assert.equal(renderValue({ 'Fn::GetAtt': ['DataKey', 'Arn'] }, keys, keys.keys), 'arn:aws:kms:us-east-1:111122223333:key/DataKey');
    assert.equal(renderValue({ 'Fn::Join': ['', ['s3://', { Ref: 'Lake' }, '/x']] }, keys, keys.keys), 's3://lake/x');
  });

  it('collects a policy attached across stacks through Fn::ImportValue, and inline policies', () => {
    const training = rolePolicy(trainingTemplates(), 'TrainRole');
    assert.equal(training.length, 5);
    assert.ok(training.every((s) => s.Origin === 'training/TrainPolicy'));
    const serving = rolePolicy(servingTemplates(), 'PromoteRole');
    assert.deepEqual(serving.map((s) => s.Origin), Array(4).fill('serving/PromoteRole/Promote'));
    assert.equal(serving[1].Condition.StringEquals['cloudformation:RoleArn'], EXEC_ROLE);
  });
});

describe('IAM evaluation', () => {
  const statements = [
    { Effect: 'Allow', Action: ['s3:Get*', 'kms:Decrypt'], Resource: ['arn:aws:s3:::lake/curated/*', 'arn:aws:kms:us-east-1:111122223333:key/k?'] },
    { Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:sns:*' },
    { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/curated/secret/*' },
    { Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }, ArnLike: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::lake*' } } },
    { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: '*', Condition: { StringEqualsIfExists: { 'aws:RequestTag/team': 'ml' } } },
    { Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
  ];

  it('matches actions case-insensitively with * and ?, resources with wildcards', () => {
    assert.ok(isAllowed(statements, 'S3:getobject', 'arn:aws:s3:::lake/curated/t/part-0'));
    assert.ok(isAllowed(statements, 'kms:Decrypt', 'arn:aws:kms:us-east-1:111122223333:key/k1'));
    assert.ok(!isAllowed(statements, 'kms:Decrypt', 'arn:aws:kms:us-east-1:111122223333:key/k12'));
    assert.ok(!isAllowed(statements, 's3:PutObject', 'arn:aws:s3:::lake/curated/t/part-0'));
  });

  it('applies NotAction and lets an explicit Deny win', () => {
    assert.ok(isAllowed(statements, 'sns:Publish', 'arn:aws:sns:us-east-1:111122223333:topic'));
    assert.ok(!isAllowed(statements, 'iam:PassRole', 'arn:aws:sns:us-east-1:111122223333:topic'));
    const verdict = evaluate(statements, 's3:GetObject', 'arn:aws:s3:::lake/curated/secret/x');
    assert.equal(verdict.decision, 'deny');
  });

  it('evaluates conditions against the context, and counts a key the context lacks as not satisfied', () => {
    const key = 'arn:aws:kms:us-east-1:111122223333:key/data';
    assert.ok(isAllowed(statements, 'kms:GenerateDataKey', key, { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::lake' }));
    assert.ok(!isAllowed(statements, 'kms:GenerateDataKey', key, { 'kms:ViaService': 'sns.us-east-1.amazonaws.com', 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::lake' }));
    const missing = evaluate(statements, 'kms:GenerateDataKey', key, { 'kms:ViaService': 's3.us-east-1.amazonaws.com' });
    assert.equal(missing.decision, 'implicit-deny');
    assert.match(missing.near[0].reason, /kms:EncryptionContext:aws:s3:arn, which the request context does not provide/);
    assert.ok(isAllowed(statements, 'ssm:GetParameter', 'arn:aws:ssm:us-east-1:111122223333:parameter/x'), 'IfExists holds when the key is absent');
    assert.ok(isAllowed(statements, 'logs:PutLogEvents', 'x', { 'aws:SecureTransport': true }));
    assert.ok(!isAllowed(statements, 'logs:PutLogEvents', 'x', {}));
  });
});

describe('checkCall', () => {
  it('passes a training job whose role has every documented permission', () => {
    const result = checkCall({ templates: trainingTemplates(), ...TRAINING_CALL });
    assert.deepEqual(actionsOf(result), []);
    assert.ok(result.checked.some((c) => c.action === 'sagemaker:AddTags' && c.decision === 'allow'));
  });

  it('finds a removed sagemaker:AddTags, with aws-cdk issue 32294 as its source', () => {
    const templates = trainingTemplates((statements) => {
      statements[0].Action = statements[0].Action.filter((a) => a !== 'sagemaker:AddTags');
    });
    const { findings } = checkCall({ templates, ...TRAINING_CALL });
    assert.deepEqual(findings.map((f) => f.action), ['sagemaker:AddTags']);
    assert.equal(findings[0].resource, 'arn:aws:sagemaker:us-east-1:111122223333:training-job/xgb-run-1');
    assert.equal(findings[0].source, 'https://github.com/aws/aws-cdk/issues/32294');
    assert.match(findings[0].message, /TrainRole calls arn:aws:states:::sagemaker:createTrainingJob\.sync, which needs sagemaker:AddTags/);
  });

  it('finds a PassRole without the right iam:PassedToService', () => {
    const templates = trainingTemplates((statements) => {
      statements[2].Condition = { StringEquals: { 'iam:PassedToService': 'states.amazonaws.com' } };
    });
    const { findings } = checkCall({ templates, ...TRAINING_CALL });
    assert.deepEqual(findings.map((f) => f.action), ['iam:PassRole']);
    assert.match(findings[0].message, /iam:PassedToService: "sagemaker.amazonaws.com" does not satisfy "states.amazonaws.com"/);
  });

  it('finds a removed ssm:GetParameters for the UpdateStack of a stack with an SSM-typed parameter', () => {
    assert.deepEqual(actionsOf(checkCall({ templates: servingTemplates(), ...UPDATE_CALL })), []);
    const templates = servingTemplates((statements) => statements.splice(3, 1));
    const { findings } = checkCall({ templates, ...UPDATE_CALL });
    assert.deepEqual(findings.map((f) => [f.action, f.resource]), [['ssm:GetParameters', 'arn:aws:ssm:us-east-1:111122223333:parameter/cdk-bootstrap/hnb659fds/version']]);
    assert.equal(findings[0].source, 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/systems-manager-parameter-types.html');
  });

  it('finds an UpdateStack as another CloudFormation role (cloudformation:RoleArn) and its PassRole', () => {
    const call = { ...UPDATE_CALL, parameters: { ...UPDATE_CALL.parameters, RoleARN: 'arn:aws:iam::111122223333:role/Other' } };
    assert.deepEqual(actionsOf(checkCall({ templates: servingTemplates(), ...call })), ['cloudformation:UpdateStack', 'iam:PassRole']);
  });

  it('reports a call whose integration has no row as a finding', () => {
    const { findings } = checkCall({ templates: servingTemplates(), roleLogicalId: 'PromoteRole', integration: 'arn:aws:states:us-east-1:111122223333:aws-sdk:cloudformation:deleteStack', parameters: {} });
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /^no permission row for arn:aws:states:::aws-sdk:cloudformation:deleteStack/);
  });

  it('finds the role from its ARN', () => {
    const { findings } = checkCall({ templates: trainingTemplates(), ...TRAINING_CALL, roleLogicalId: undefined, roleArn: 'arn:aws:iam::111122223333:role/TrainRole' });
    assert.deepEqual(findings, []);
  });
});

describe('unknown actions', () => {
  it('finds a misspelt action and accepts wildcards that match one', () => {
    assert.deepEqual(unknownActions(trainingTemplates()), []);
    const templates = trainingTemplates((statements) => {
      statements[0].Action.push('sagemaker:CreateTraningJob');
      statements[1].Action = ['sagemaker:ListTags', 's3:Frobnicate*'];
    });
    assert.deepEqual(unknownActions(templates).map((u) => u.action), ['sagemaker:CreateTraningJob', 's3:Frobnicate*']);
    assert.match(unknownActions(templates)[0].message, /^training\/TrainPolicy Properties\.PolicyDocument: sagemaker:CreateTraningJob is not an action/);
  });

  it('reads trust policies too', () => {
    const templates = trainingTemplates();
    templates.base.Resources.JobRole.Properties.AssumeRolePolicyDocument.Statement[0].Action = 'sts:AssumeRoll';
    assert.deepEqual(unknownActions(templates).map((u) => `${u.resource} ${u.action}`), ['JobRole sts:AssumeRoll']);
  });
});

describe('the permission table', () => {
  it('cites an https page on docs.aws.amazon.com or github.com for every action', () => {
    for (const row of TABLE.rows) {
      for (const a of row.actions) {
        const source = a.source ?? row.source;
        const url = new URL(source);
        assert.equal(url.protocol, 'https:', `${row.integration} ${a.action}: ${source}`);
        assert.ok(['docs.aws.amazon.com', 'github.com'].includes(url.hostname), `${row.integration} ${a.action}: ${source}`);
      }
    }
  });

  it('names only actions AWS defines, one row per integration and caller', () => {
    const keys = new Set();
    for (const row of TABLE.rows) {
      const key = `${row.integration} ${row.caller ?? ''}`;
      assert.ok(!keys.has(key), `duplicate row ${key}`);
      keys.add(key);
      assert.equal(normalizeIntegration(row.integration), row.integration);
      for (const a of row.actions) assert.ok(actionExists(a.action), `${row.integration}: ${a.action}`);
    }
  });

  it('covers the integrations of the three workflows and the functions\' S3 calls', () => {
    const integrations = new Set(TABLE.rows.map((r) => r.integration));
    for (const i of [
      'arn:aws:states:::lambda:invoke', 'arn:aws:states:::sns:publish', 'arn:aws:states:::athena:startQueryExecution.sync', 'arn:aws:states:::athena:getQueryResults',
      'arn:aws:states:::sagemaker:createTrainingJob.sync', 'arn:aws:states:::sagemaker:createHyperParameterTuningJob.sync',
      'arn:aws:states:::aws-sdk:sagemaker:describeTrainingJob', 'arn:aws:states:::aws-sdk:sagemaker:listModelPackages', 'arn:aws:states:::aws-sdk:sagemaker:describeModelPackage',
      'arn:aws:states:::aws-sdk:sagemaker:createModelPackage', 'arn:aws:states:::aws-sdk:cloudformation:describeStacks', 'arn:aws:states:::aws-sdk:cloudformation:describeStackEvents',
      'arn:aws:states:::aws-sdk:cloudformation:updateStack',
    ]) assert.ok(integrations.has(i), i);
    assert.deepEqual(TABLE.rows.filter((r) => r.caller).map((r) => `${r.caller} ${r.integration}`).sort(), [
      'function:DriftFunction sdk:s3:GetObject', 'function:DriftFunction sdk:s3:PutObject', 'function:Evaluate sdk:s3:PutObject', 'function:PrepareRun sdk:s3:PutObject',
    ]);
  });
});

describe('query parsing', () => {
  it('finds the tables an UNLOAD reads and where it writes', () => {
    const sql = 'UNLOAD (\nSELECT "a"\nFROM "lake_db"."telemetry"\nWHERE x = 1\n)\nTO \'s3://bucket/training/run-1/train/\'\nWITH (format = \'TEXTFILE\')';
    assert.deepEqual(parseQuery(sql), { tables: [{ database: 'lake_db', table: 'telemetry' }], unloadTo: 's3://bucket/training/run-1/train/' });
    assert.deepEqual(parseQuery('SELECT 1 FROM t JOIN other.u ON true', 'db'), { tables: [{ database: 'db', table: 't' }, { database: 'other', table: 'u' }], unloadTo: undefined });
  });
});

describe('Athena and S3 calls on an SSE-KMS lake', () => {
  const lake = () => ({ lake: fixture('lake') });
  const UNLOAD = {
    roleLogicalId: 'QueryRole',
    integration: 'arn:aws:states:::athena:startQueryExecution.sync',
    parameters: { WorkGroup: 'lake', QueryString: 'UNLOAD (SELECT a FROM "lake_db"."records" WHERE day = \'x\') TO \'s3://lake/training/run-1/train/\' WITH (format = \'TEXTFILE\')' },
  };

  it('checks the workgroup, the catalog, the table data and the results and UNLOAD files with their key', () => {
    const result = checkCall({ templates: lake(), ...UNLOAD });
    assert.deepEqual(actionsOf(result), []);
    const kms = result.checked.filter((c) => c.action.startsWith('kms:') && c.resource).map((c) => `${c.action} ${c.resource} ${c.context['kms:EncryptionContext:aws:s3:arn']}`);
    assert.deepEqual([...new Set(kms)], [
      'kms:Decrypt arn:aws:kms:us-east-1:111122223333:key/DataKey arn:aws:s3:::lake',
      'kms:GenerateDataKey arn:aws:kms:us-east-1:111122223333:key/DataKey arn:aws:s3:::lake',
    ]);
    assert.ok(result.checked.some((c) => c.action === 's3:PutObject' && c.resource.startsWith('arn:aws:s3:::lake/training/run-1/train/')));
  });

  it('finds an UNLOAD to a folder the role may not write, and a key grant for another service', () => {
    const templates = lake();
    const statements = templates.lake.Resources.QueryPolicy.Properties.PolicyDocument.Statement;
    statements[5].Resource = statements[5].Resource.slice(0, 1);
    statements[6].Condition.StringEquals['kms:ViaService'] = 'sns.us-east-1.amazonaws.com';
    const { findings, advisories } = checkCall({ templates, ...UNLOAD });
    assert.ok(findings.every((f) => f.level === 'required') && advisories.every((f) => f.level === 'advisory'));
    assert.deepEqual([...new Set(findings.map((f) => f.action))], ['s3:PutObject', 'kms:Decrypt', 'kms:GenerateDataKey']);
    assert.match(findings.find((f) => f.action === 'kms:Decrypt').message, /kms:ViaService: "s3.us-east-1.amazonaws.com" does not satisfy "sns.us-east-1.amazonaws.com"/);
  });

  it('reads getQueryResults from the workgroup the role may start queries in', () => {
    const templates = lake();
    templates.lake.Resources.Other = { Type: 'AWS::Athena::WorkGroup', Properties: { Name: 'other' } };
    const result = checkCall({ templates, roleLogicalId: 'QueryRole', integration: 'arn:aws:states:::athena:getQueryResults', parameters: { QueryExecutionId: 'q-1' } });
    assert.deepEqual(result.checked.map((c) => `${c.decision} ${c.action} ${c.resource}`), [
      'allow athena:GetQueryResults arn:aws:athena:us-east-1:111122223333:workgroup/lake',
      'allow s3:GetObject arn:aws:s3:::lake/athena-results/q-1.csv',
      'allow kms:Decrypt arn:aws:kms:us-east-1:111122223333:key/DataKey',
    ]);
    const hinted = checkCall({ templates, roleLogicalId: 'QueryRole', integration: 'arn:aws:states:::athena:getQueryResults', parameters: { QueryExecutionId: 'q-1' }, hints: { workGroup: 'other' } });
    assert.deepEqual(actionsOf(hinted), ['athena:GetQueryResults']);
  });

  it('checks a function\'s PutObject with the bucket key: kms:GenerateDataKey is required', () => {
    const calls = functionCalls(lake());
    assert.deepEqual(calls.map((c) => `${c.caller} ${c.roleLogicalId} ${c.parameters.Bucket}/${c.parameters.Key}`), [
      'function:PrepareRun WriterRole lake/models/run-1/manifest.json', 'function:PrepareRun WriterRole lake/models/run-1/drift-baseline.json',
    ]);
    const { findings } = checkCall({ templates: lake(), ...calls[0] });
    assert.deepEqual(findings.map((f) => [f.action, f.resource]), [['kms:GenerateDataKey', 'arn:aws:kms:us-east-1:111122223333:key/DataKey']]);
    assert.equal(findings[0].source, 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html');
  });
});
