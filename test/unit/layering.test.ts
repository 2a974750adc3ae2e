import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

/** The layer rule's messages for `code` as if it were the file at `filePath`. */
async function lintAs(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}
const importing = (spec: string) => `import { x } from '${spec}';\nexport const y = x;\n`;

describe('layer rule: core', () => {
  it.each([
    ['platform', '../../platform/store/db.ts'],
    ['host', '../../host/kiosk-host.ts'],
    ['shell', '../../shell/chromium/launch.ts'],
    ['ui', '../../ui/App.tsx'],
    ['cli', '../../cli/main.ts'],
    ['sim', '../../sim/pki/test-pki.ts'],
    ['a site', '../../sites/hospital/common/config.ts'],
  ])('forbids app/core from importing %s', async (_, spec) => {
    const messages = await lintAs('app/core/icao/example.ts', importing(spec));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^app\/core must not import /);
  });

  it.each(['node:fs', 'fs', 'node:net', 'node:http', 'node:child_process', 'fs/promises'])('keeps Node I/O (%s) out of core', async (spec) => {
    expect(await lintAs('app/core/receipts/example.ts', importing(spec))).toEqual([`app/core must not import ${spec}: it runs without Node I/O (node:crypto is the one exception).`]);
  });

  it.each(['../cccd/dg13.ts', '../journey/trust.ts', '../verification/subject.ts'])('keeps the ICAO layer free of the layers above it in core (%s)', async (spec) => {
    const messages = await lintAs('app/core/icao/example.ts', importing(spec));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^app\/core\/icao must not import app\/core\//);
    // The CCCD layer may build on ICAO, and ICAO on core's own root files.
    expect(await lintAs('app/core/cccd/example.ts', importing('../icao/reader.ts'))).toEqual([]);
    expect(await lintAs('app/core/icao/lds/example.ts', importing('../../errors.ts'))).toEqual([]);
  });

  it('lets core import node:crypto, packages and its own modules', async () => {
    const code = "import { createHash } from 'node:crypto';\nimport { z } from 'zod';\nimport { a } from '../errors.ts';\nexport const y = [createHash, z, a];\n";
    expect(await lintAs('app/core/icao/example.ts', code)).toEqual([]);
  });
});

describe("layer rule: a site's pure half imports only core", () => {
  it('refuses platform, Node I/O and its own Node half', async () => {
    for (const spec of ['../../../platform/store/db.ts', 'node:fs', '../node/site.ts']) {
      expect(await lintAs('app/sites/hospital/common/example.ts', importing(spec)), spec).toHaveLength(1);
    }
  });

  it('allows core, its own pure half and node:crypto', async () => {
    for (const spec of ['../../../core/errors.ts', './config.ts', 'node:crypto']) {
      expect(await lintAs('app/sites/hospital/common/example.ts', importing(spec)), spec).toEqual([]);
    }
  });
});

describe('layer rule: sites never import each other', () => {
  it.each([
    ['app/sites/airport/common/example.ts', '../../hospital/common/config.ts'],
    ['app/sites/airport/node/example.ts', '../../hospital/node/site.ts'],
    ['app/sites/gate/sim/example.ts', '../../hospital/sim/his/server.ts'],
  ])('%s importing %s', async (file, spec) => {
    const [message] = await lintAs(file, importing(spec));
    expect(message).toMatch(/sites never import each other/);
  });
});

describe('layer rule: platform never imports sim, and only demo wiring reaches the simulators', () => {
  it.each([
    ['app/platform/cardreader/virtual.ts', "import type { VirtualChip } from '../../sim/virtual-card/chip.ts';\nexport type C = VirtualChip;\n"],
    ['app/host/kiosk-host.ts', importing('../sim/rar-server/server.ts')],
    ['app/host/wiring/chip-reading.ts', "export const load = () => import('../../sim/virtual-card/persona-chip.ts');\n"],
    ['app/cli/commands/read.ts', importing('../../sim/personas/personas.ts')],
    ['app/sites/hospital/node/site.ts', "export * from '../sim/his/server.ts';\n"],
    ['app/sites/hospital/common/example.ts', importing('../sim/insurance/demo-cards.ts')],
  ])('refuses %s', async (file, code) => {
    const [message] = await lintAs(file, code);
    expect(message).toMatch(/simulators are reached only through a demo-wiring module/);
  });

  it('lets the demo-wiring modules (and the simulators themselves) import them', async () => {
    expect(await lintAs('app/host/demo-wiring.ts', importing('../sim/pki/test-pki.ts'))).toEqual([]);
    expect(await lintAs('app/sites/hospital/node/demo-wiring.ts', importing('../sim/his/server.ts'))).toEqual([]);
    expect(await lintAs('app/sites/hospital/sim/his/example.ts', importing('../../../../sim/personas/personas.ts'))).toEqual([]);
  });

  it('keeps platform below the host too', async () => {
    expect(await lintAs('app/platform/rar/example.ts', importing('../../host/config-loader.ts'))).toHaveLength(1);
  });
});

describe('layer rule: only the registries name a site', () => {
  it('refuses a site folder from the host, the CLI and the renderer', async () => {
    for (const [file, spec] of [
      ['app/host/kiosk-host.ts', '../sites/hospital/node/site.ts'],
      ['app/host/wiring/face.ts', '../../sites/hospital/common/config.ts'],
      ['app/cli/commands/start.ts', '../../sites/hospital/node/site.ts'],
      ['app/ui/screens/Maintenance.tsx', '../../sites/hospital/common/schemas.ts'],
    ]) {
      expect(await lintAs(file!, importing(spec!)), file).toHaveLength(1);
    }
  });

  it('lets each registry list the halves of its runtime, and no other', async () => {
    expect(await lintAs('app/sites/registry.ts', importing('./hospital/common/site.ts'))).toEqual([]);
    expect(await lintAs('app/sites/registry.ts', importing('./hospital/node/site.ts'))).toHaveLength(1);
    expect(await lintAs('app/sites/registry.node.ts', importing('./airport/node/site.ts'))).toEqual([]);
    expect(await lintAs('app/host/wiring/sites.ts', importing('../../sites/registry.node.ts'))).toEqual([]);
  });

  it('refuses site code outside the runtime folders', async () => {
    expect(await lintAs('app/sites/hospital/helpers.ts', importing('../../core/errors.ts'))).toHaveLength(1);
  });
});

describe('layer rule: the renderer', () => {
  it('never touches Node nor the host', async () => {
    expect(await lintAs('app/ui/screens/Example.tsx', importing('node:fs'))).toEqual([
      'app/ui must not import node:fs: the renderer never touches Node; call the kiosk API instead.',
    ]);
    expect((await lintAs('app/ui/screens/Example.tsx', importing('../../host/kiosk-host.ts')))[0]).toMatch(/only through the kiosk API/);
  });

  it('leaves its build tooling, which runs in Node, alone', async () => {
    expect(await lintAs('app/ui/vite.config.ts', importing('node:path'))).toEqual([]);
  });
});
