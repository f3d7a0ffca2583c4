// The permission hook: every mocked call is also checked against the state machine role's policies by
// tests/rehearsal/iam/iam.mjs (written separately). Until that module exists the gate says so in its report rather
// than passing the check silently.

let checkCall;
let makeWorld;
let unavailable;
try {
  ({ checkCall, makeWorld } = await import('../iam/iam.mjs'));
  if (typeof checkCall !== 'function') unavailable = 'tests/rehearsal/iam/iam.mjs exports no checkCall function';
} catch (e) {
  unavailable = `permission check not available: ${e.code === 'ERR_MODULE_NOT_FOUND' ? 'tests/rehearsal/iam/iam.mjs does not exist yet' : e.message}`;
}

export const permissionCheckStatus = () => (unavailable ? { available: false, reason: unavailable } : { available: true });

// The IAM module renders the templates' policies once per set of templates when it offers to (makeWorld).
const worlds = new WeakMap();
function prepared(templates, resolver, region, account) {
  if (typeof makeWorld !== 'function' || !templates || typeof templates !== 'object') return templates;
  if (!worlds.has(templates)) worlds.set(templates, makeWorld(templates, { resolver, region, account }));
  return worlds.get(templates);
}

/**
 * Findings [{action, resource, source, message}] of one call, or [] when the check is unavailable. `templates` are the
 * rehearsal's loaded templates and `resolver` its renderer, so the policies and the requests name resources alike.
 */
export function checkPermissions(args) {
  if (unavailable) return [];
  // A polling loop repeats the same call hundreds of times: check each distinct call once.
  const world = prepared(args.templates, args.resolver, args.region, args.account);
  const key = JSON.stringify([args.roleArn, args.roleLogicalId, args.integration, args.parameters]);
  let byCall = cache.get(world);
  if (!byCall) cache.set(world, (byCall = new Map()));
  if (!byCall.has(key)) {
    const result = checkCall({ ...args, templates: world });
    byCall.set(key, Array.isArray(result?.findings) ? result.findings : []);
  }
  return byCall.get(key);
}
const cache = new WeakMap();
