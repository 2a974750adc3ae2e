import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError, type Command } from './command.ts';
import { ConfigError } from '../host/config-loader.ts';
import { siteNodes } from '../sites/registry.node.ts';
import type { CommandModule } from '../sites/site-node.ts';

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

/** Every command by name: the kiosk's own (commands/NAME.ts) and those the site modules add. */
function commandModules(): Map<string, () => Promise<CommandModule>> {
  const modules = new Map<string, () => Promise<CommandModule>>();
  const own = readdirSync(commandsDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const f of own) modules.set(f.slice(0, -3), () => import(join(commandsDir, f)) as Promise<CommandModule>);
  for (const site of siteNodes) {
    for (const [name, load] of Object.entries(site.commands)) {
      if (modules.has(name)) throw new Error(`the ${site.kind} site's command "${name}" is already taken`);
      modules.set(name, load);
    }
  }
  return modules;
}

function commandNames(): string[] {
  return [...commandModules().keys()].sort();
}

async function load(name: string): Promise<Command | undefined> {
  const entry = commandModules().get(name);
  return entry ? (await entry()).default : undefined;
}

async function help(): Promise<void> {
  const lines = ['Usage: cccd-kiosk <command> [options]', '', 'Commands:'];
  for (const name of commandNames()) {
    // One broken command must not hide the others from the help.
    const summary = await load(name).then((cmd) => cmd?.summary, (e: unknown) => `(cannot load: ${e instanceof Error ? e.message.split('\n')[0] : e})`);
    lines.push(`  ${name.padEnd(14)} ${summary}`);
  }
  lines.push('', 'Run `cccd-kiosk <command> --help` for a command\'s options.');
  console.log(lines.join('\n'));
}

/**
 * Entry point of the `cccd-kiosk` command. Known failures become one plain line and an exit code:
 * configuration mistakes exit 2 (naming file and key), usage mistakes 64; no stack traces.
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    await help();
    return name ? 0 : 64;
  }
  const cmd = await load(name);
  if (!cmd) {
    console.error(`cccd-kiosk: unknown command "${name}". Run \`cccd-kiosk help\`.`);
    return 64;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(cmd.usage);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`cccd-kiosk: configuration error: ${e.message}`);
      return 2;
    }
    if (e instanceof UsageError) {
      console.error(`cccd-kiosk ${cmd.name}: ${e.message}\n\n${cmd.usage}`);
      return e.exitCode;
    }
    // node:util parseArgs: an unknown option, a missing value… is a usage mistake too.
    if (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`cccd-kiosk ${cmd.name}: ${e.message}\n\n${cmd.usage}`);
      return 64;
    }
    if (e instanceof Error && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
      console.error(`cccd-kiosk ${cmd.name}: ${(e as { code: string }).code}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
