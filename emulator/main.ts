/**
 * `npm run emulator -- --estate <file> [--port <n>] [--lro-ms <n>] [--lro-retry-after <s>] [--throttling]`
 * Prints the base URL alone on the first line of stdout, then serves until SIGINT/SIGTERM.
 */
import { Command } from 'commander';
import { startEmulator } from './index';

async function main(): Promise<void> {
  const program = new Command()
    .name('emulator')
    .description('Local ARM emulator for Microsoft.Cache, Microsoft.Network, private DNS and Resource Graph')
    .option('--estate <file>', 'estate JSON file to seed the store with')
    .option('--port <n>', 'port to listen on (0 = any free port)', '8480')
    .option('--lro-ms <n>', 'how long long-running operations stay in progress (ms)', '0')
    .option('--lro-retry-after <s>', 'Retry-After seconds on operation responses (absent by default)')
    .option('--throttling', "enforce ARM's per-subscription request limits", false)
    .parse(process.argv);
  const o = program.opts<{ estate?: string; port: string; lroMs: string; lroRetryAfter?: string; throttling: boolean }>();
  const port = Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${o.port}`);
  const emu = await startEmulator({
    port,
    estate: o.estate,
    settings: {
      lroDurationMs: Number(o.lroMs),
      ...(o.lroRetryAfter !== undefined ? { lroRetryAfterSeconds: Number(o.lroRetryAfter) } : {}),
      throttling: { enabled: o.throttling } as never,
    },
  });
  process.stdout.write(`${emu.url}\n`);
  process.stderr.write(`ARM emulator serving ${emu.engine.store.size} resources; control routes under ${emu.url}/_emulator/\n`);
  const stop = () => {
    void emu.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator: ${(e as Error)?.message ?? String(e)}\n`);
  process.exit(1);
});
