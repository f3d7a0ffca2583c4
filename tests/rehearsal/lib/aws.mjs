// The AWS account a rehearsal runs in: SageMaker jobs and model packages, Athena queries, the serving stack in
// CloudFormation, the SNS topic and the Lambda functions, answering each Step Functions integration the definitions
// call. Every request is validated against the operation's API model and AWS's documented rules before it is
// answered; every answer is validated against the model's output shape; errors carry the names Step Functions gives
// them for that integration (Step Functions developer guide: "Handling errors in Step Functions workflows",
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html, and "AWS SDK service
// integrations", https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html).

import * as crypto from 'node:crypto';
import { loadModel, operation, validate } from './model.mjs';
import { FunctionError, NUMERIC, functionFor } from './lambdas.mjs';
import { checkPermissions } from './permissions.mjs';

/** A Task failure as Step Functions reports it: Error is the name, Cause the message. */
export class TaskError extends Error {
  constructor(name, cause) {
    super(cause);
    this.name = name;
  }
}

// Optimized integrations (arn:aws:states:::<service>:<api>[.sync]): the API they call, the Describe* API whose
// response a .sync task returns, and the error names the integration uses. Optimized integrations name an error
// after the service's SDK exception class: a modelled error is <Service>.<Code>[Exception], anything else (validation,
// throttling) the service's base exception, e.g. SageMaker.AmazonSageMakerException.
const OPTIMIZED = {
  'lambda:invoke': { service: 'lambda', operation: 'Invoke', prefix: 'Lambda', base: 'Lambda.AWSLambdaException' },
  'athena:startQueryExecution': { service: 'athena', operation: 'StartQueryExecution', describe: 'GetQueryExecution', prefix: 'Athena', base: 'Athena.AmazonAthenaException' },
  'athena:getQueryResults': { service: 'athena', operation: 'GetQueryResults', prefix: 'Athena', base: 'Athena.AmazonAthenaException' },
  'sagemaker:createTrainingJob': { service: 'sagemaker', operation: 'CreateTrainingJob', describe: 'DescribeTrainingJob', prefix: 'SageMaker', base: 'SageMaker.AmazonSageMakerException' },
  'sagemaker:createHyperParameterTuningJob': { service: 'sagemaker', operation: 'CreateHyperParameterTuningJob', describe: 'DescribeHyperParameterTuningJob', prefix: 'SageMaker', base: 'SageMaker.AmazonSageMakerException' },
  'sns:publish': { service: 'sns', operation: 'Publish', prefix: 'SNS', base: 'SNS.AmazonSNSException' },
};

// What Step Functions adds to a lambda:invoke response besides the Invoke API's members.
const LAMBDA_EXTRAS = ['SdkHttpMetadata', 'SdkResponseMetadata'];

/** The integration a Task's Resource names, or { unknown: reason }. */
export function integrationOf(resource) {
  let m = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)(\.sync|\.waitForTaskToken)?$/.exec(resource);
  if (m) {
    const model = loadModel(m[1]);
    if (!model) return { unknown: `no API model for the AWS SDK integration's service ${m[1]} (add it to models/extract.mjs)` };
    const op = m[2][0].toUpperCase() + m[2].slice(1);
    if (m[3]) return { unknown: `${m[3]} of an AWS SDK integration is not rehearsed` };
    const prefix = model.metadata.serviceId.replace(/\s+/g, '');
    return { kind: 'sdk', resource, service: m[1], operation: op, prefix, base: `${prefix}.${prefix}Exception` };
  }
  m = /^arn:aws:states:::([a-z0-9]+:[A-Za-z0-9]+)(\.sync|\.waitForTaskToken)?$/.exec(resource);
  if (m && OPTIMIZED[m[1]]) {
    if (m[2] === '.waitForTaskToken') return { unknown: `${resource}: the callback pattern is not rehearsed` };
    const spec = OPTIMIZED[m[1]];
    if (m[2] === '.sync' && !spec.describe) return { unknown: `${m[1]} has no .sync pattern` };
    return { kind: 'optimized', resource, sync: m[2] === '.sync', ...spec };
  }
  return { unknown: `no mock for the integration ${resource}` };
}

const now = () => new Date();
const requestId = () => crypto.randomUUID();
const suffixed = (code) => (code.endsWith('Exception') ? code : `${code}Exception`);

/** The Step Functions error name for an API error `code` of `integration`. */
export function errorName(integration, code) {
  const modelled = operation(integration.service, integration.operation)?.errors ?? [];
  return modelled.includes(code) ? `${integration.prefix}.${suffixed(code)}` : integration.base;
}

// The Cause text of a service error as Step Functions shows it (the SDK's exception message).
export function apiError(integration, code, message, status = 400) {
  const service = integration.kind === 'optimized' ? `Amazon${integration.prefix}` : integration.prefix;
  return new TaskError(errorName(integration, code), `${message} (Service: ${service}; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestId()}; Proxy: null)`);
}

// The error code a service answers an invalid request with (the protocol's client-validation error).
const VALIDATION_CODE = { sagemaker: 'ValidationException', cloudformation: 'ValidationError', athena: 'InvalidRequestException', sns: 'InvalidParameter', lambda: 'InvalidParameterValueException' };

export class World {
  /**
   * @param {object} o account, region, functions (Map arn → {handler, environment}), stacks ([{stackId, stackName,
   * template}]), groups ([names]), topics ([arns]), today (yyyy-MM-dd), sink (findings collector)
   */
  constructor({ account, region, functions, stacks, groups, topics, today }) {
    Object.assign(this, { account, region, functions, today });
    this.findings = [];
    this.internalErrors = [];
    this.calls = [];
    this.published = [];
    this.s3Writes = [];
    // The lake's objects the functions read and write (URI → text): baselines, reports.
    this.s3Objects = new Map();
    this.store = {
      get: (uri) => this.s3Objects.get(uri),
      put: (uri, text) => {
        this.s3Objects.set(uri, text);
        this.s3Writes.push(uri);
      },
    };
    this.faults = [];
    this.hooks = { before: async () => {}, after: () => {} };
    this.sagemaker = { trainingJobs: new Map(), tuningJobs: new Map(), groups: new Map(groups.map((g) => [g, []])) };
    // Enough data for the configured minimums (prepare-run's MINIMUM_ROWS / MINIMUM_POSITIVES), 1 % positives.
    const prepare = [...functions.values()].find((f) => f.handler === 'Pipeline.PrepareRun')?.environment ?? {};
    const rows = Math.max(12000, 2 * Number(prepare.MINIMUM_ROWS ?? 0));
    const positives = Math.max(Math.round(rows / 100), 2 * Number(prepare.MINIMUM_POSITIVES ?? 0));
    // counts: the training window's count query; window: the drift window's captured requests (drift: skewed bins).
    this.athena = { queries: new Map(), counts: { rows: String(rows), positives: String(positives) }, failQuery: null, window: { rows: 1200, drift: false, violations: 0 } };
    this.training = { status: 'Completed', auc: 0.9123449921607971, failureReason: undefined, bestTrainingJob: true };
    this.topics = new Set(topics);
    this.cfn = new Map(stacks.map((s) => [s.stackId, makeStack(s)]));
  }

  // --------------------------------------------------------------- scenario helpers
  /** Adds a version to a model package group; returns its ARN. */
  addModelPackage(group, { approval = 'Approved', status = 'Completed', auc = '0.9', daysAgo = 1, driftBaseline } = {}) {
    const versions = this.sagemaker.groups.get(group);
    if (!versions) throw new Error(`no model package group ${group} in the templates`);
    const version = versions.length + 1;
    const arn = `arn:aws:sagemaker:${this.region}:${this.account}:model-package/${group.toLowerCase()}/${version}`;
    const created = new Date(Date.now() - daysAgo * 86400000);
    const pkg = {
      ModelPackageGroupName: group,
      ModelPackageVersion: version,
      ModelPackageArn: arn,
      ModelPackageName: group,
      ModelPackageDescription: `Run rehearsal-${version}: passed.`,
      CreationTime: created.toISOString(),
      InferenceSpecification: {
        Containers: [{ Image: `683313688378.dkr.ecr.${this.region}.amazonaws.com/sagemaker-xgboost:1.7-1`, ModelDataUrl: `s3://lake/models/run-${version}/xgb-run-${version}/output/model.tar.gz` }],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
      },
      ModelPackageStatus: status,
      ModelPackageStatusDetails: { ValidationStatuses: [], ImageScanStatuses: [] },
      CertifyForMarketplace: false,
      ModelApprovalStatus: approval,
      ModelMetrics: {
        ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: `s3://lake/models/run-${version}/model-quality.json` } },
      },
      CustomerMetadataProperties: { ...(auc === null ? {} : { validation_auc: auc }), run_id: `run-${version}`, ...(driftBaseline ? { drift_baseline: driftBaseline } : {}) },
      LastModifiedTime: created.toISOString(),
    };
    versions.push(pkg);
    return arn;
  }

  /**
   * Writes a training run's drift baseline to the lake as prepare-run's `baseline` action would, from the results
   * this account's Athena gives the plan's statements; returns its location (s3://<lake>/models/<runId>/drift-baseline.json).
   */
  addDriftBaseline(runId) {
    const fn = [...this.functions.values()].find((f) => f.handler === 'Pipeline.PrepareRun');
    if (!fn) throw new Error('no prepare-run function in the templates to build a drift baseline with');
    const prepare = functionFor('Pipeline.PrepareRun');
    const results = (sql) => athenaResultSet(this, sql);
    const planned = prepare({ action: 'plan', executionName: runId }, fn.environment, this.today, [], this.store);
    const summary = results(planned.queries.baselineSummary);
    const bins = prepare({ action: 'baselineBins', window: planned.window, summary }, fn.environment, this.today, [], this.store);
    return prepare({ action: 'baseline', executionName: runId, window: planned.window, summary, bins: results(bins.sql) }, fn.environment, this.today, [], this.store).location;
  }

  /** Fails the next `times` calls of `operationName` with `error` (a function of the integration → TaskError). */
  fault(operationName, times, error) {
    this.faults.push({ operation: operationName, times, error });
  }

  stack(idOrName) {
    for (const s of this.cfn.values()) if (s.StackId === idOrName || s.StackName === idOrName) return s;
    return undefined;
  }

  // --------------------------------------------------------------- the Task handler
  /** A handler for aws-local-stepfunctions' taskResourceLocalHandlers, for one execution of one state machine. */
  handlerFor(machine, execution, { templates, resolver }) {
    return async (stateName, state, taskInput) => {
      // The interpreter hands over references into the execution's data: the mocks work on their own copies.
      const request = structuredClone(taskInput);
      const integration = integrationOf(state.Resource);
      const call = { execution: execution.name, state: stateName, resource: state.Resource, operation: integration.operation, request };
      this.calls.push(call);
      const finding = (kind, message, key = message) => this.findings.push({ kind, key, workflow: machine.logicalId, execution: execution.name, state: stateName, resource: state.Resource, message });
      if (integration.unknown) {
        finding('integration', integration.unknown);
        throw new TaskError('States.TaskFailed', integration.unknown);
      }
      const moment = { execution: execution.name, operation: integration.operation, count: this.calls.filter((c) => c.execution === execution.name && c.operation === integration.operation).length };
      await this.hooks.before(moment);
      try {
        return await this.answer(machine, execution, { templates, resolver }, integration, call, state, request, finding);
      } catch (e) {
        // Only AWS's answers fail a Task; anything else is a defect of the rehearsal itself.
        if (!(e instanceof TaskError)) this.internalErrors.push(`${stateName} (${state.Resource}): ${e?.stack ?? e}`);
        throw e;
      } finally {
        this.hooks.after(moment);
      }
    };
  }

  // Permissions, request validation, injected faults, the operation, response validation.
  async answer(machine, execution, { templates, resolver }, integration, call, state, request, finding) {
    // Permissions: the state machine's role must allow what this call does.
    for (const f of checkPermissions({ templates, resolver, roleArn: machine.roleArn, roleLogicalId: machine.roleLogicalId, integration: state.Resource, parameters: request, region: this.region, account: this.account })) {
      finding('permission', `${f.action ?? '(no action)'} on ${f.resource ?? '-'}: ${f.message}${f.source ? ` (${f.source})` : ''}`, `${f.action} ${f.level ?? ''} ${f.action ? '' : f.message}`);
    }

    const op = operation(integration.service, integration.operation);
    if (!op) {
      finding('integration', `the API model of ${integration.service} has no operation ${integration.operation} (add it to models/extract.mjs)`);
      throw new TaskError('States.TaskFailed', `no model for ${integration.operation}`);
    }
    const problems = validate(op.model, op.input, request, '$', { blobAsJson: integration.service === 'lambda' });
    if (problems.length) {
      // Step Functions checks an optimized integration's parameter names when the state machine is created.
      const atCreation = (p) => (integration.kind === 'optimized' && /unknown member/.test(p) ? ' (Step Functions refuses this definition at CreateStateMachine: SCHEMA_VALIDATION_FAILED, "The field ... is not supported by Step Functions")' : '');
      for (const p of problems) finding('request', `${integration.operation} ${p}${atCreation(p)}`);
      throw apiError(integration, VALIDATION_CODE[integration.service], `${problems.length} validation error(s) detected: ${problems.join('; ')}`);
    }

    const fault = this.faults.find((f) => f.operation === integration.operation && f.times > 0);
    if (fault) {
      fault.times--;
      call.fault = true;
      throw fault.error(integration);
    }

    const impl = OPERATIONS[`${integration.service}:${integration.operation}`];
    if (!impl) {
      finding('integration', `the rehearsal has no mock of ${integration.service}:${integration.operation}`);
      throw new TaskError('States.TaskFailed', `no mock of ${integration.operation}`);
    }
    let response;
    try {
      response = await impl(this, request, { integration, execution, finding });
    } catch (e) {
      call.error = e.name;
      throw e;
    }
    const answer = integration.sync ? response.describe : response;
    const shape = integration.sync ? operation(integration.service, integration.describe) : op;
    const responseProblems = validate(shape.model, shape.output, answer, '$', {
      lenientTimestamps: true,
      blobAsJson: integration.service === 'lambda',
      extraTopLevel: integration.service === 'lambda' ? LAMBDA_EXTRAS : [],
    });
    for (const p of responseProblems) finding('mock', `the mock's ${integration.sync ? integration.describe : integration.operation} response is not one AWS would give: ${p}`);
    call.response = answer;
    if (integration.sync && response.failed) throw new TaskError('States.TaskFailed', JSON.stringify(answer));
    return structuredClone(answer);
  }
}

// The ResultSet of a statement: a SELECT's header row and one data row, the columns its outer select list names
// (`AS "alias"`), each typed and valued by what its alias says it is; anything else (UNLOAD) a header only.
export function athenaResultSet(w, sql) {
  const aliases = /^\s*SELECT\b/i.test(sql) ? outerAliases(sql) : [];
  const columns = aliases.length ? aliases.map((a) => ({ name: a, ...columnValue(w, a, aliases) })) : [{ name: '_col0', type: 'varchar', value: null }];
  const cell = (v) => (v === null ? {} : { VarCharValue: v });
  const info = (c) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: c.name, Label: c.name, Type: c.type, Precision: c.type === 'bigint' ? 19 : c.type === 'double' ? 17 : 0, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: c.type === 'varchar' });
  return {
    Rows: [{ Data: columns.map((c) => cell(c.name)) }, ...(aliases.length ? [{ Data: columns.map((c) => cell(c.value)) }] : [])],
    ResultSetMetadata: { ColumnInfo: columns.map(info) },
  };
}

// The aliases (`AS "alias"` or `AS alias`) of a statement's outer select list: up to its first FROM outside parentheses.
export function outerAliases(sql) {
  const out = [];
  let depth = 0;
  let i = sql.search(/\bSELECT\b/i) + 6;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'") {
      i = sql.indexOf("'", i + 1) + 1 || sql.length;
      while (sql[i] === "'") i = sql.indexOf("'", i + 1) + 1 || sql.length;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0) {
      const rest = sql.slice(i);
      if (/^FROM\b/i.test(rest) && /\s/.test(sql[i - 1])) break;
      const m = /^AS\s+(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_]*))/i.exec(rest);
      if (m && /\s/.test(sql[i - 1])) {
        out.push((m[1] ?? m[2]).replace(/""/g, '"'));
        i += m[0].length;
        continue;
      }
    }
    i++;
  }
  return out;
}

// A feature's plausible range (AI4I units), for min/max/mean/sd/edges.
const RANGES = {
  air_temperature_k: [295.3, 304.5], process_temperature_k: [305.7, 313.8], rotational_speed_rpm: [1168, 2886],
  torque_nm: [3.8, 76.6], tool_wear_min: [0, 253], vibration_mm_s: [0.4, 11.2],
};
const round = (x) => Math.round(x * 1000) / 1000;
const text = (x) => String(x);

// One column's type and value by its alias: counts consistent with the rows the statement counts.
function columnValue(w, alias, aliases) {
  const drift = aliases.includes('unknown_fields');
  const rows = drift ? w.athena.window.rows : Number(w.athena.counts.rows);
  const whole = (n) => ({ type: 'bigint', value: text(n) });
  // n items sharing `total`: as even as whole numbers allow, the remainder to the first.
  const share = (total, n, i) => Math.floor(total / n) + (i < total % n ? 1 : 0);
  if (alias === 'rows') return whole(rows);
  if (alias === 'positives') return whole(Number(w.athena.counts.positives));
  if (['unknown_fields', 'missing_fields', 'wrong_types'].includes(alias)) return whole(alias === 'wrong_types' ? w.athena.window.violations ?? 0 : 0);
  let m = /^(.+)__(count|min|max|mean|sd|edges|missing|below_min|above_max)$/.exec(alias);
  if (m) {
    const [lo, hi] = RANGES[m[1]] ?? [0, 100];
    switch (m[2]) {
      case 'count': return whole(rows);
      case 'min': return { type: 'double', value: text(lo) };
      case 'max': return { type: 'double', value: text(hi) };
      case 'mean': return { type: 'double', value: text(round((lo + hi) / 2)) };
      case 'sd': return { type: 'double', value: text(round((hi - lo) / 6)) };
      case 'edges': return { type: 'array', value: `[${Array.from({ length: 9 }, (_, i) => round(lo + ((hi - lo) * (i + 1)) / 10)).join(', ')}]` };
      default: return whole(0);
    }
  }
  m = /^(.+)__bin_(\d+)$/.exec(alias);
  if (m) {
    const bins = aliases.filter((a) => a.startsWith(`${m[1]}__bin_`)).length;
    const i = Number(m[2]);
    // A drifted window: every value of every numeric feature in its top bin.
    if (drift && w.athena.window.drift && NUMERIC.includes(m[1])) return whole(i === bins - 1 ? rows : 0);
    return whole(share(rows, bins, i));
  }
  m = /^(.+)__is__(.+)$/.exec(alias);
  if (m) {
    const values = aliases.filter((a) => a.startsWith(`${m[1]}__is__`));
    return whole(share(rows, values.length, values.indexOf(alias)));
  }
  return { type: 'varchar', value: alias };
}

function makeStack({ stackId, stackName, template }) {
  const declared = template.Parameters ?? {};
  const types = Object.values(template.Resources ?? {}).map((r) => r.Type);
  const named = Object.values(template.Resources ?? {}).some((r) => r.Type === 'AWS::IAM::Role' && r.Properties?.RoleName);
  return {
    StackId: stackId,
    StackName: stackName,
    StackStatus: 'UPDATE_COMPLETE',
    CreationTime: new Date(Date.now() - 30 * 86400000).toISOString(),
    LastUpdatedTime: new Date(Date.now() - 2 * 86400000).toISOString(),
    Parameters: Object.entries(declared).map(([k, p]) => ({ ParameterKey: k, ParameterValue: p.Type?.startsWith('AWS::SSM::Parameter::Value') ? '/cdk-bootstrap/hnb659fds/version' : p.Default ?? '', ...(p.Type?.startsWith('AWS::SSM::Parameter::Value') ? { ResolvedValue: '21' } : {}) })),
    declared,
    capabilities: named ? 'CAPABILITY_NAMED_IAM' : types.some((t) => t.startsWith('AWS::IAM::')) ? 'CAPABILITY_IAM' : null,
    events: [],
    tokens: new Set(),
    token: undefined,
    // After an accepted UpdateStack, the statuses later DescribeStacks calls see (the last one stays).
    plan: 'complete',
    progression: [],
    failureReasons: [],
  };
}

const timestamp = () => now().toISOString();
const epoch = () => now().getTime();
const arnOf = (w, service, resource) => `arn:aws:${service}:${w.region}:${w.account}:${resource}`;

// --------------------------------------------------------------------------- operations
const OPERATIONS = {
  // ------------------------------------------------ Lambda
  'lambda:Invoke': async (w, req, { integration, finding }) => {
    const fn = w.functions.get(req.FunctionName) ?? [...w.functions.values()].find((f) => f.logicalId === req.FunctionName);
    if (!fn) throw apiError(integration, 'ResourceNotFoundException', `Function not found: ${req.FunctionName}`, 404);
    const impl = functionFor(fn.handler);
    if (!impl) {
      finding('integration', `no mock of the function ${fn.logicalId} (handler ${fn.handler})`);
      throw new TaskError('States.TaskFailed', `no mock of ${fn.handler}`);
    }
    let payload;
    try {
      payload = impl(req.Payload, fn.environment, w.today, w.s3Writes, w.store);
    } catch (e) {
      if (!(e instanceof FunctionError)) throw e;
      // A function error: Step Functions fails the task with the function's errorType and the error as JSON text.
      throw new TaskError(e.errorType, JSON.stringify({ errorMessage: e.message, errorType: e.errorType, stackTrace: [`   at ${fn.handler}.Function.Handle(Stream input)`] }));
    }
    const id = requestId();
    return {
      ExecutedVersion: '$LATEST',
      Payload: payload,
      SdkHttpMetadata: { AllHttpHeaders: { 'X-Amz-Executed-Version': ['$LATEST'], 'x-amzn-Remapped-Content-Length': ['0'], Connection: ['keep-alive'], 'x-amzn-RequestId': [id], 'Content-Type': ['application/json'] }, HttpHeaders: { Connection: 'keep-alive', 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': id }, HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: id },
      StatusCode: 200,
    };
  },

  // ------------------------------------------------ Athena
  'athena:StartQueryExecution': async (w, req) => {
    const id = crypto.randomUUID();
    const failed = w.athena.failQuery && w.athena.failQuery(req.QueryString);
    const q = {
      QueryExecutionId: id,
      Query: req.QueryString,
      StatementType: /^\s*UNLOAD|^\s*SELECT/i.test(req.QueryString) ? 'DML' : 'DDL',
      ResultConfiguration: { OutputLocation: `s3://athena-results-${w.account}/${id}.csv` },
      ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: false } },
      QueryExecutionContext: {},
      Status: { State: failed ? 'FAILED' : 'SUCCEEDED', SubmissionDateTime: epoch(), CompletionDateTime: epoch(), ...(failed ? { StateChangeReason: failed, AthenaError: { ErrorCategory: 2, ErrorType: 1006, Retryable: false, ErrorMessage: failed } } : {}) },
      Statistics: { EngineExecutionTimeInMillis: 1200, DataScannedInBytes: 1048576, TotalExecutionTimeInMillis: 1400, QueryQueueTimeInMillis: 80, ServiceProcessingTimeInMillis: 40 },
      WorkGroup: req.WorkGroup ?? 'primary',
      EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
    };
    w.athena.queries.set(id, q);
    return { describe: { QueryExecution: q }, failed: Boolean(failed) };
  },
  'athena:GetQueryResults': async (w, req, { integration }) => {
    const q = w.athena.queries.get(req.QueryExecutionId);
    if (!q) throw apiError(integration, 'InvalidRequestException', `QUERY_NOT_FOUND: Query ${req.QueryExecutionId} was not found`);
    const set = athenaResultSet(w, q.Query);
    // MaxResults counts the header row (GetQueryResults pages include it on the first page).
    const limit = req.MaxResults ?? 1000;
    return { UpdateCount: 0, ResultSet: { ...set, Rows: set.Rows.slice(0, limit) }, ...(set.Rows.length > limit ? { NextToken: 'next' } : {}) };
  },
  // ------------------------------------------------ SageMaker (optimized, .sync)
  'sagemaker:CreateTrainingJob': async (w, req, { integration }) => {
    const name = req.TrainingJobName;
    if (w.sagemaker.trainingJobs.has(name)) {
      throw apiError(integration, 'ResourceInUse', `Training job names must be unique within an AWS account and region, and a training job with this name already exists (${arnOf(w, 'sagemaker', `training-job/${name.toLowerCase()}`)})`);
    }
    trainingJobRules(req, integration, 'HyperParameters', req);
    const job = trainingJob(w, req, name, req.HyperParameters ?? {});
    w.sagemaker.trainingJobs.set(name, job);
    return { describe: job, failed: job.TrainingJobStatus !== 'Completed' };
  },
  'sagemaker:CreateHyperParameterTuningJob': async (w, req, { integration }) => {
    const name = req.HyperParameterTuningJobName;
    if (w.sagemaker.tuningJobs.has(name)) {
      throw apiError(integration, 'ResourceInUse', `Hyperparameter tuning job names must be unique within an AWS account and region, and a hyperparameter tuning job with this name already exists (${arnOf(w, 'sagemaker', `hyper-parameter-tuning-job/${name.toLowerCase()}`)})`);
    }
    const def = req.TrainingJobDefinition;
    if (!def) throw apiError(integration, 'ValidationException', 'TrainingJobDefinition or TrainingJobDefinitions must be provided');
    trainingJobRules(def, integration, 'StaticHyperParameters', req);
    const tuned = Object.values(req.HyperParameterTuningJobConfig.ParameterRanges ?? {}).flat().map((r) => r.Name);
    const clash = tuned.filter((n) => Object.hasOwn(def.StaticHyperParameters ?? {}, n));
    if (clash.length) throw apiError(integration, 'ValidationException', `The hyperparameter(s) [${clash.join(', ')}] cannot be both static and tunable`);
    const limits = req.HyperParameterTuningJobConfig.ResourceLimits;
    const best = `${name}-${String(limits.MaxNumberOfTrainingJobs).padStart(3, '0')}-${crypto.createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
    const hyper = { ...def.StaticHyperParameters, eta: '0.1436', max_depth: '6', min_child_weight: '2.5', subsample: '0.85' };
    const bestJob = trainingJob(w, { ...def, TrainingJobName: best }, best, hyper, name);
    w.sagemaker.trainingJobs.set(best, bestJob);
    const completed = w.training.status === 'Completed';
    const describe = {
      HyperParameterTuningJobName: name,
      HyperParameterTuningJobArn: arnOf(w, 'sagemaker', `hyper-parameter-tuning-job/${name.toLowerCase()}`),
      HyperParameterTuningJobConfig: req.HyperParameterTuningJobConfig,
      TrainingJobDefinition: def,
      HyperParameterTuningJobStatus: completed ? 'Completed' : 'Failed',
      CreationTime: epoch(),
      HyperParameterTuningEndTime: epoch(),
      LastModifiedTime: epoch(),
      TrainingJobStatusCounters: { Completed: completed ? limits.MaxNumberOfTrainingJobs : 0, InProgress: 0, RetryableError: 0, NonRetryableError: completed ? 0 : limits.MaxNumberOfTrainingJobs, Stopped: 0 },
      ObjectiveStatusCounters: { Succeeded: completed ? limits.MaxNumberOfTrainingJobs : 0, Pending: 0, Failed: completed ? 0 : limits.MaxNumberOfTrainingJobs },
      ...(completed ? {} : { FailureReason: 'All training jobs failed. One or more training jobs reported AlgorithmError.' }),
    };
    if (completed && w.training.bestTrainingJob) {
      describe.BestTrainingJob = {
        TrainingJobName: best,
        TrainingJobArn: bestJob.TrainingJobArn,
        CreationTime: bestJob.CreationTime,
        TrainingStartTime: bestJob.TrainingStartTime,
        TrainingEndTime: bestJob.TrainingEndTime,
        TrainingJobStatus: 'Completed',
        TunedHyperParameters: Object.fromEntries(tuned.map((n) => [n, hyper[n] ?? '1'])),
        FinalHyperParameterTuningJobObjectiveMetric: { Type: 'Maximize', MetricName: 'validation:auc', Value: w.training.auc },
        ObjectiveStatus: 'Succeeded',
      };
    }
    w.sagemaker.tuningJobs.set(name, describe);
    return { describe, failed: !completed };
  },

  // ------------------------------------------------ SageMaker (AWS SDK integration)
  'sagemaker:DescribeTrainingJob': async (w, req, { integration }) => {
    const job = w.sagemaker.trainingJobs.get(req.TrainingJobName);
    if (!job) throw apiError(integration, 'ResourceNotFound', `Requested resource not found: TrainingJob ${req.TrainingJobName} does not exist`);
    return sdkTimestamps(job);
  },
  'sagemaker:ListModelPackages': async (w, req, { integration }) => {
    const versions = w.sagemaker.groups.get(req.ModelPackageGroupName);
    // A group's packages are versioned: listed only for ModelPackageType Versioned or Both (API_ListModelPackages).
    if (!versions || !['Versioned', 'Both'].includes(req.ModelPackageType)) return { ModelPackageSummaryList: [] };
    // w.sagemaker.listingLag: versions whose approval the listing does not show yet (the registry is eventually consistent).
    let list = (versions ?? []).filter((p) => !req.ModelApprovalStatus || (p.ModelApprovalStatus === req.ModelApprovalStatus && !w.sagemaker.listingLag?.has(p.ModelPackageArn)));
    const key = req.SortBy === 'Name' ? (p) => p.ModelPackageArn : (p) => p.CreationTime;
    list = list.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    if ((req.SortOrder ?? 'Ascending') === 'Descending') list.reverse();
    if (req.MaxResults !== undefined && req.MaxResults < 1) throw apiError(integration, 'ValidationException', 'MaxResults must be at least 1');
    const page = list.slice(0, req.MaxResults ?? 10);
    return {
      ModelPackageSummaryList: page.map((p) => ({
        ModelPackageName: p.ModelPackageName,
        ModelPackageGroupName: p.ModelPackageGroupName,
        ModelPackageVersion: p.ModelPackageVersion,
        ModelPackageArn: p.ModelPackageArn,
        ModelPackageDescription: p.ModelPackageDescription,
        CreationTime: p.CreationTime,
        ModelPackageStatus: p.ModelPackageStatus,
        ModelApprovalStatus: p.ModelApprovalStatus,
      })),
      ...(list.length > page.length ? { NextToken: 'next' } : {}),
    };
  },
  'sagemaker:DescribeModelPackage': async (w, req, { integration }) => {
    for (const versions of w.sagemaker.groups.values()) {
      const p = versions.find((v) => v.ModelPackageArn === req.ModelPackageName);
      if (p) return p;
    }
    throw apiError(integration, 'ValidationException', `ModelPackage ${req.ModelPackageName} does not exist.`);
  },
  'sagemaker:CreateModelPackage': async (w, req, { integration }) => {
    if (!req.ModelPackageGroupName) throw apiError(integration, 'ValidationException', 'ModelPackageGroupName is required to create a versioned model package');
    if (!w.sagemaker.groups.has(req.ModelPackageGroupName)) throw apiError(integration, 'ValidationException', `Model Package Group ${req.ModelPackageGroupName} does not exist.`);
    const arn = w.addModelPackage(req.ModelPackageGroupName, { approval: req.ModelApprovalStatus ?? 'PendingManualApproval', auc: req.CustomerMetadataProperties?.validation_auc ?? null, daysAgo: 0 });
    const p = w.sagemaker.groups.get(req.ModelPackageGroupName).at(-1);
    Object.assign(p, {
      ModelPackageDescription: req.ModelPackageDescription,
      InferenceSpecification: req.InferenceSpecification,
      ModelMetrics: req.ModelMetrics,
      CustomerMetadataProperties: req.CustomerMetadataProperties,
    });
    return { ModelPackageArn: arn };
  },

  // ------------------------------------------------ CloudFormation (AWS SDK integration)
  'cloudformation:DescribeStacks': async (w, req, { integration }) => {
    const s = w.stack(req.StackName);
    if (!s) throw apiError(integration, 'ValidationError', `Stack with id ${req.StackName} does not exist`);
    if (s.progression.length) {
      const next = s.progression.shift();
      s.StackStatus = next.status;
      if (next.parameters) s.Parameters = next.parameters;
      if (next.events) s.events.unshift(...next.events);
    }
    return {
      Stacks: [{
        StackId: s.StackId,
        StackName: s.StackName,
        Description: 'Serving: the model package on a SageMaker endpoint',
        Parameters: s.Parameters.map((p) => ({ ...p })),
        CreationTime: s.CreationTime,
        LastUpdatedTime: s.LastUpdatedTime,
        RollbackConfiguration: {},
        StackStatus: s.StackStatus,
        DisableRollback: false,
        NotificationARNs: [],
        Capabilities: s.capabilities ? [s.capabilities] : [],
        Outputs: [],
        RoleARN: `arn:aws:iam::${w.account}:role/cdk-hnb659fds-cfn-exec-role-${w.account}-${w.region}`,
        Tags: [],
        EnableTerminationProtection: false,
        DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
      }],
    };
  },
  'cloudformation:UpdateStack': async (w, req, { integration }) => {
    const s = w.stack(req.StackName);
    if (!s) throw apiError(integration, 'ValidationError', `Stack [${req.StackName}] does not exist`);
    if (s.StackStatus.endsWith('_IN_PROGRESS')) throw apiError(integration, 'ValidationError', `Stack:${s.StackId} is in ${s.StackStatus} state and can not be updated.`);
    if (!req.UsePreviousTemplate && !req.TemplateBody && !req.TemplateURL) throw apiError(integration, 'ValidationError', 'Either Template URL or Template Body must be specified.');
    const given = req.Parameters ?? [];
    const unknown = given.filter((p) => !s.declared[p.ParameterKey]).map((p) => p.ParameterKey);
    if (unknown.length) throw apiError(integration, 'ValidationError', `Parameters: [${unknown.join(', ')}] do not exist in the template`);
    const next = [];
    for (const [key, decl] of Object.entries(s.declared)) {
      const p = given.find((g) => g.ParameterKey === key);
      const previous = s.Parameters.find((x) => x.ParameterKey === key);
      if (p?.UsePreviousValue && p.ParameterValue !== undefined) throw apiError(integration, 'ValidationError', `Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true and non empty value for a parameter`);
      const value = p ? (p.UsePreviousValue ? previous.ParameterValue : p.ParameterValue ?? '') : decl.Default ?? '';
      if (decl.AllowedPattern && !new RegExp(`^(?:${decl.AllowedPattern})$`).test(value)) throw apiError(integration, 'ValidationError', `Parameter '${key}' must match pattern ${decl.AllowedPattern}`);
      if (decl.AllowedValues && !decl.AllowedValues.includes(value)) throw apiError(integration, 'ValidationError', `Parameter '${key}' must be one of AllowedValues`);
      next.push({ ...previous, ParameterKey: key, ParameterValue: value });
    }
    if (s.capabilities && !(req.Capabilities ?? []).includes(s.capabilities) && !(s.capabilities === 'CAPABILITY_IAM' && (req.Capabilities ?? []).includes('CAPABILITY_NAMED_IAM'))) {
      throw apiError(integration, 'InsufficientCapabilitiesException', `Requires capabilities : [${s.capabilities}]`);
    }
    if (next.every((p) => s.Parameters.find((x) => x.ParameterKey === p.ParameterKey)?.ParameterValue === p.ParameterValue)) {
      throw apiError(integration, 'ValidationError', 'No updates are to be performed.');
    }
    // Every event of a stack operation carries the operation's ClientRequestToken (CloudFormation API reference,
    // UpdateStack: "All events triggered by a given stack operation are assigned the same client request token").
    if (req.ClientRequestToken !== undefined) {
      if (s.tokens.has(req.ClientRequestToken)) throw apiError(integration, 'TokenAlreadyExistsException', 'A client request token already exists.');
      s.tokens.add(req.ClientRequestToken);
    }
    s.token = req.ClientRequestToken;
    const previous = s.Parameters;
    s.Parameters = next;
    s.StackStatus = 'UPDATE_IN_PROGRESS';
    s.LastUpdatedTime = timestamp();
    s.events.unshift(stackEvent(s, s.StackName, 'AWS::CloudFormation::Stack', 'UPDATE_IN_PROGRESS', 'User Initiated'));
    s.progression = progression(s, previous);
    return { StackId: s.StackId };
  },
  'cloudformation:DescribeStackEvents': async (w, req, { integration }) => {
    const s = w.stack(req.StackName);
    if (!s) throw apiError(integration, 'ValidationError', `Stack [${req.StackName}] does not exist`);
    return { StackEvents: s.events.slice(0, 100) };
  },

  // ------------------------------------------------ SNS
  'sns:Publish': async (w, req, { integration }) => {
    if (!req.TopicArn) throw apiError(integration, 'InvalidParameter', 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
    if (!w.topics.has(req.TopicArn)) throw apiError(integration, 'NotFound', 'Topic does not exist', 404);
    // SNS Publish: Subject is ASCII text beginning with a letter, number or punctuation mark, without line breaks or
    // control characters, shorter than 100 characters; Message at most 256 KiB.
    if (req.Subject !== undefined && (!/^[\x21-\x7e][\x20-\x7e]*$/.test(req.Subject) || req.Subject.length >= 100)) {
      throw apiError(integration, 'InvalidParameter', 'Invalid parameter: Subject');
    }
    if (Buffer.byteLength(req.Message, 'utf8') > 262144) throw apiError(integration, 'InvalidParameter', 'Invalid parameter: Message too long');
    w.published.push({ topicArn: req.TopicArn, subject: req.Subject, message: req.Message });
    return { MessageId: crypto.randomUUID() };
  },
};

// CreateTrainingJob's documented rules beyond the model (API_CreateTrainingJob, API_StoppingCondition).
function trainingJobRules(def, integration, hyperKey, request) {
  for (const [k, v] of Object.entries(def[hyperKey] ?? {})) {
    if (typeof v !== 'string') throw apiError(integration, 'ValidationException', `Hyperparameter ${k} must be a string; got ${JSON.stringify(v)}`);
  }
  const stop = def.StoppingCondition ?? {};
  if (def.EnableManagedSpotTraining) {
    if (stop.MaxWaitTimeInSeconds === undefined) throw apiError(integration, 'ValidationException', 'MaxWaitTimeInSeconds must be specified for managed spot training');
    if (stop.MaxWaitTimeInSeconds < (stop.MaxRuntimeInSeconds ?? 86400)) throw apiError(integration, 'ValidationException', `MaxWaitTimeInSeconds (${stop.MaxWaitTimeInSeconds}) must be greater than or equal to MaxRuntimeInSeconds (${stop.MaxRuntimeInSeconds})`);
  } else if (stop.MaxWaitTimeInSeconds !== undefined) {
    throw apiError(integration, 'ValidationException', 'MaxWaitTimeInSeconds can only be specified for managed spot training');
  }
  const channels = (def.InputDataConfig ?? []).map((c) => c.ChannelName);
  if (new Set(channels).size !== channels.length) throw apiError(integration, 'ValidationException', `Channel names must be unique: ${channels.join(', ')}`);
  const type = def.ResourceConfig?.InstanceType ?? '';
  const family = type.split('.')[1] ?? '';
  if (def.ResourceConfig?.VolumeKmsKeyId && /(d|dn|de)$/.test(family)) {
    throw apiError(integration, 'ValidationException', `Instance type ${type} has local instance storage: VolumeKmsKeyId is not supported`);
  }
  void request;
}

function trainingJob(w, req, name, hyperparameters, tuningJob) {
  const completed = w.training.status === 'Completed';
  const outputPath = (req.OutputDataConfig?.S3OutputPath ?? 's3://lake/models/').replace(/\/?$/, '/');
  return {
    TrainingJobName: name,
    TrainingJobArn: arnOf(w, 'sagemaker', `training-job/${name.toLowerCase()}`),
    ...(tuningJob ? { TuningJobArn: arnOf(w, 'sagemaker', `hyper-parameter-tuning-job/${tuningJob.toLowerCase()}`) } : {}),
    ModelArtifacts: { S3ModelArtifacts: `${outputPath}${name}/output/model.tar.gz` },
    TrainingJobStatus: w.training.status,
    SecondaryStatus: completed ? 'Completed' : 'Failed',
    ...(completed ? {} : { FailureReason: w.training.failureReason ?? 'AlgorithmError: framework error' }),
    HyperParameters: hyperparameters,
    AlgorithmSpecification: { ...req.AlgorithmSpecification, EnableSageMakerMetricsTimeSeries: false },
    RoleArn: req.RoleArn,
    InputDataConfig: req.InputDataConfig,
    OutputDataConfig: req.OutputDataConfig,
    ResourceConfig: req.ResourceConfig,
    ...(req.VpcConfig ? { VpcConfig: req.VpcConfig } : {}),
    StoppingCondition: req.StoppingCondition,
    CreationTime: epoch(),
    TrainingStartTime: epoch(),
    TrainingEndTime: epoch(),
    LastModifiedTime: epoch(),
    SecondaryStatusTransitions: [{ Status: 'Starting', StartTime: epoch(), EndTime: epoch(), StatusMessage: 'Preparing the instances for training' }, { Status: completed ? 'Completed' : 'Failed', StartTime: epoch(), EndTime: epoch(), StatusMessage: completed ? 'Training job completed' : 'Training job failed' }],
    ...(completed && w.training.auc !== null ? { FinalMetricDataList: [{ MetricName: 'validation:auc', Value: w.training.auc, Timestamp: epoch() }, { MetricName: 'train:auc', Value: 0.97, Timestamp: epoch() }] } : {}),
    EnableNetworkIsolation: req.EnableNetworkIsolation ?? false,
    EnableInterContainerTrafficEncryption: req.EnableInterContainerTrafficEncryption ?? false,
    EnableManagedSpotTraining: req.EnableManagedSpotTraining ?? false,
    ...(req.CheckpointConfig ? { CheckpointConfig: req.CheckpointConfig } : {}),
    ...(req.RetryStrategy ? { RetryStrategy: req.RetryStrategy } : {}),
    TrainingTimeInSeconds: 412,
    BillableTimeInSeconds: req.EnableManagedSpotTraining ? 131 : 412,
  };
}

// The AWS SDK integrations render timestamps as ISO text; the optimized .sync responses as epoch milliseconds.
function sdkTimestamps(job) {
  const iso = (v) => (typeof v === 'number' ? new Date(v).toISOString() : v);
  const out = { ...job };
  for (const k of ['CreationTime', 'TrainingStartTime', 'TrainingEndTime', 'LastModifiedTime']) if (out[k] !== undefined) out[k] = iso(out[k]);
  if (out.SecondaryStatusTransitions) out.SecondaryStatusTransitions = out.SecondaryStatusTransitions.map((t) => ({ ...t, StartTime: iso(t.StartTime), EndTime: iso(t.EndTime) }));
  if (out.FinalMetricDataList) out.FinalMetricDataList = out.FinalMetricDataList.map((m) => ({ ...m, Timestamp: iso(m.Timestamp) }));
  return out;
}

let eventCounter = 0;
export function stackEvent(s, logicalId, type, status, reason, when = timestamp(), token = s.token) {
  eventCounter++;
  return {
    ...(token ? { ClientRequestToken: token } : {}),
    StackId: s.StackId,
    EventId: `${logicalId}-${status}-${when}-${eventCounter}`,
    StackName: s.StackName,
    LogicalResourceId: logicalId,
    PhysicalResourceId: logicalId === s.StackName ? s.StackId : `${logicalId.toLowerCase()}-${eventCounter}`,
    ResourceType: type,
    Timestamp: when,
    ResourceStatus: status,
    ...(reason ? { ResourceStatusReason: reason } : {}),
  };
}

// What the stack goes through after an accepted update, per the scenario's plan.
function progression(s, previous) {
  const ev = (...a) => stackEvent(s, ...a);
  switch (s.plan) {
    case 'complete':
      return [
        { status: 'UPDATE_IN_PROGRESS', events: [ev('Model', 'AWS::SageMaker::Model', 'UPDATE_IN_PROGRESS', 'Requested update requires the creation of a new physical resource; hence creating one.')] },
        { status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', events: [ev('Endpoint', 'AWS::SageMaker::Endpoint', 'UPDATE_COMPLETE')] },
        { status: 'UPDATE_COMPLETE', events: [ev(s.StackName, 'AWS::CloudFormation::Stack', 'UPDATE_COMPLETE')] },
      ];
    case 'fail':
      return [
        { status: 'UPDATE_IN_PROGRESS' },
        {
          status: 'UPDATE_ROLLBACK_IN_PROGRESS',
          events: [
            ev(s.StackName, 'AWS::CloudFormation::Stack', 'UPDATE_ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to update: [Endpoint].'),
            ...s.failureReasons.map(([logicalId, type, status, reason]) => ev(logicalId, type, status, reason)),
          ],
        },
        { status: 'UPDATE_ROLLBACK_COMPLETE', parameters: previous, events: [ev(s.StackName, 'AWS::CloudFormation::Stack', 'UPDATE_ROLLBACK_COMPLETE')] },
      ];
    case 'slow':
      return [{ status: 'UPDATE_IN_PROGRESS' }];
    default:
      throw new Error(`unknown stack plan ${s.plan}`);
  }
}
