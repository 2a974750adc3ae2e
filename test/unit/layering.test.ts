import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function lintAs(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rule', () => {
  it.each(['platform', 'host', 'shell', 'ui'])('forbids app/core from importing app/%s', async (layer) => {
    const messages = await lintAs('app/core/icao/example.ts', `import { x } from '../../${layer}/thing.ts';\nexport const y = x;\n`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(new RegExp(`must not import from app/${layer}`));
  });

  it('lets app/core import its own modules and packages', async () => {
    expect(await lintAs('app/core/icao/example.ts', "import { z } from 'zod';\nimport { a } from '../errors.ts';\nexport const y = [z, a];\n")).toEqual([]);
  });

  it('keeps Node out of the renderer', async () => {
    const messages = await lintAs('app/ui/screens/Example.tsx', "import { readFileSync } from 'node:fs';\nexport const y = readFileSync;\n");
    expect(messages[0]).toMatch(/renderer never touches Node/);
  });
});
