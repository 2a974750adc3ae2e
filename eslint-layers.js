// The layers of app/ and what each may import, held by one lint rule (`layers/imports`), as VS Code
// holds its runtime folders. Every relative import (static, dynamic, re-export, type-only) is
// resolved to the file it names; that file's layer must be in the importer's list. Node's own
// modules are refused where the code must run without Node I/O. Tests and build tooling are free.
import { builtinModules } from 'node:module';
import { relative, resolve, dirname, sep } from 'node:path';

/** The layer of a file, from its path relative to the repository root; undefined: not held. */
export function layerOf(file) {
  const p = file.split(sep).join('/');
  if (p === 'app/ui/vite.config.ts' || p === 'app/ui/build-voice.ts') return undefined; // build tooling, runs in Node
  const site = p.match(/^app\/sites\/([^/]+)\/(common|node|sim|browser)\//);
  if (site) return { layer: site[2] === 'node' && p.endsWith('/demo-wiring.ts') ? 'site-demo-wiring' : `site-${site[2]}`, site: site[1] };
  const named = {
    'app/sites/registry.ts': 'registry',
    'app/sites/registry.node.ts': 'registry-node',
    'app/sites/registry.browser.ts': 'registry-browser',
    'app/sites/registry.texts.ts': 'registry-browser',
    'app/sites/site-node.ts': 'site-contract',
    'app/host/demo-wiring.ts': 'demo-wiring',
    'app/cli/command.ts': 'command-contract',
  }[p];
  if (named) return { layer: named };
  if (p.startsWith('app/sites/')) return { layer: 'site-loose' };
  const top = p.match(/^app\/(core|platform|sim|host|shell|ui|cli)\//);
  if (top?.[1] === 'core') return { layer: 'core', part: p.match(/^app\/core\/([^/]+)\//)?.[1] };
  return top ? { layer: top[1] } : undefined;
}

// What each layer may import. `own-…` is the importer's own site only: sites never import each other.
const siteNode = ['core', 'platform', 'site-contract', 'command-contract', 'own-site-common', 'own-site-node', 'own-site-demo-wiring'];
const may = {
  core: ['core'],
  'site-common': ['core', 'own-site-common'],
  'site-node': siteNode,
  'site-demo-wiring': [...siteNode, 'sim', 'own-site-sim'],
  'site-sim': ['core', 'platform', 'sim', 'own-site-common', 'own-site-sim'],
  'site-browser': ['core', 'ui', 'own-site-common', 'own-site-browser'],
  'site-loose': [],
  registry: ['core', 'site-common'],
  'registry-node': ['core', 'site-contract', 'site-node'],
  'registry-browser': ['core', 'ui', 'site-common', 'site-browser'],
  'site-contract': ['core', 'platform', 'command-contract'],
  platform: ['core', 'platform'],
  sim: ['core', 'platform', 'sim'],
  'demo-wiring': ['core', 'platform', 'host', 'sim'],
  host: ['core', 'platform', 'host', 'demo-wiring', 'registry', 'registry-node', 'site-contract'],
  shell: ['core', 'platform', 'host', 'shell'],
  ui: ['core', 'ui', 'registry-browser'],
  cli: ['core', 'platform', 'host', 'demo-wiring', 'shell', 'cli', 'command-contract', 'registry-node', 'site-contract'],
  'command-contract': [],
};

/** Layers whose code runs without Node I/O: the browser, and core and sites' pure halves (node:crypto only). */
const noNode = { core: ['crypto'], 'site-common': ['crypto'], registry: ['crypto'], ui: [], 'site-browser': [], 'registry-browser': [] };
const nodeModules = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

const where = {
  core: 'app/core', platform: 'app/platform', sim: 'app/sim', host: 'app/host', shell: 'app/shell', ui: 'app/ui', cli: 'app/cli',
  'site-common': "a site's pure half", 'site-node': "a site's Node half", 'site-demo-wiring': "a site's demo wiring", 'site-sim': "a site's simulators",
  'site-browser': "a site's screens", 'site-loose': 'a site folder outside common/, node/, sim/ and browser/', registry: 'the site registry',
  'registry-node': 'the Node site registry', 'registry-browser': 'the browser site registry', 'site-contract': 'the site contract',
  'demo-wiring': 'the demo wiring', 'command-contract': 'the command contract',
};

/** Why an import is refused, in the words of the rule it breaks. */
function why(from, to) {
  if (to.site && from.site && to.site !== from.site) return 'sites never import each other; what two sites share belongs in app/core';
  if (to.layer === 'sim' || to.layer === 'site-sim') return 'simulators are reached only through a demo-wiring module (app/host/demo-wiring.ts, app/sites/<kind>/node/demo-wiring.ts)';
  if (to.site) return 'only the site registries name a site (app/sites/registry*.ts)';
  if (from.layer === 'core') return 'core is pure domain code: put the adapter in platform and inject it';
  if (from.layer === 'site-common') return "a site's pure half imports only app/core and its own pure half";
  if (from.layer === 'ui') return 'the renderer talks to the host only through the kiosk API';
  if (from.layer === 'site-loose') return 'put site code in common/, node/, sim/ or browser/ by where it runs';
  return 'imports point down the layers (README, How it is built)';
}

const rule = {
  meta: { type: 'problem', schema: [], docs: { description: 'Holds the layers of app/ (see eslint-layers.js)' } },
  create(context) {
    const root = context.cwd;
    const from = layerOf(relative(root, context.filename));
    if (!from) return {};
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const spec = source.value;
      if (nodeModules.has(spec)) {
        const allowed = noNode[from.layer];
        if (allowed && !allowed.includes(spec.replace(/^node:/, ''))) {
          const message = from.layer === 'ui' || from.layer.endsWith('browser')
            ? `${where[from.layer]} must not import ${spec}: the renderer never touches Node; call the kiosk API instead.`
            : `${where[from.layer]} must not import ${spec}: it runs without Node I/O (node:crypto is the one exception).`;
          context.report({ node, message });
        }
        return;
      }
      if (!spec.startsWith('./') && !spec.startsWith('../')) return; // a package
      const to = layerOf(relative(root, resolve(dirname(context.filename), spec)));
      if (!to) return;
      // Within core, ICAO 9303 stands alone: it imports only itself and core's own root files.
      if (from.part === 'icao' && to.layer === 'core' && to.part && to.part !== 'icao') {
        context.report({ node, message: `app/core/icao must not import app/core/${to.part} (${spec}): the ICAO layer knows no CCCD, journey or site; what knows DG13 belongs to app/core/cccd.` });
        return;
      }
      const ownSite = to.site !== undefined && to.site === from.site;
      if (may[from.layer].includes(ownSite ? `own-${to.layer}` : to.layer)) return;
      context.report({ node, message: `${where[from.layer]} must not import ${where[to.layer]} (${spec}): ${why(from, to)}.` });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source : undefined),
    };
  },
};

export const layers = { rules: { imports: rule } };
