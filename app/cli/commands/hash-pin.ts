import { UsageError, type Command } from '../command.ts';
import { hashPin, NEW_PIN_PATTERN } from '../../host/admin-pin.ts';

const command: Command = {
  name: 'hash-pin',
  summary: 'Make the scrypt hash of a maintenance PIN for a profile\'s admin.pinHash file',
  usage: [
    'Usage: cccd-kiosk hash-pin < pin.txt',
    '       echo -n 482913 | cccd-kiosk hash-pin > /etc/cccd-kiosk/admin-pin.hash',
    '',
    'Reads the PIN from standard input (so it stays out of the shell history) and prints its hash.',
    'PINs are 6 to 12 digits.',
  ].join('\n'),
  async run() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const pin = Buffer.concat(chunks).toString('utf8').trim();
    if (!NEW_PIN_PATTERN.test(pin)) throw new UsageError('the PIN must be 6 to 12 digits', 2);
    console.log(hashPin(pin));
    return 0;
  },
};
export default command;
