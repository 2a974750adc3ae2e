#!/usr/bin/python3
"""
Runs an emulated eMRTD (vicc + the fixes in this folder) attached to vpcd.

  /usr/bin/python3 test/interop/vicc/emrtd_card.py --lds DIR [--port 35963] [--no-quickack]
  /usr/bin/python3 test/interop/vicc/emrtd_card.py --check     # exits 0 when vicc is usable

Prints "ready" on stdout once connected to vpcd; exits when vpcd (pcscd) goes away.
"""
import argparse
import logging
import sys


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--lds', help='directory with mrz.txt and <FID>.bin files')
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, default=35963, help='vpcd port (reader.conf DEVICENAME /dev/null:PORT)')
    p.add_argument('--no-quickack', action='store_true', help='stock vicc socket behaviour (for latency comparison)')
    p.add_argument('--short-only', action='store_true', help='do not announce extended length in the ATR')
    p.add_argument('--fixed-challenge', help='test hook: GET CHALLENGE always answers these 8 bytes (hex)')
    p.add_argument('--stock-ssc', action='store_true', help="negative control: vicc's own SSC encoding (drops leading zero bytes)")
    p.add_argument('--check', action='store_true', help='only check that vicc and its dependencies import')
    p.add_argument('-v', '--verbose', action='store_true')
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format='vicc: %(levelname)s %(message)s')

    from vicc_env import ViccMissing
    try:
        from icao_card import load_lds_card
        from vpcd_link import TunedVirtualICC
    except ViccMissing as e:
        print('vicc unusable: %s' % e, file=sys.stderr)
        return 3
    if args.check:
        print('ok')
        return 0
    if not args.lds:
        p.error('--lds is required')
    challenge = bytes.fromhex(args.fixed_challenge) if args.fixed_challenge else None
    if challenge is not None and len(challenge) != 8:
        p.error('--fixed-challenge must be 8 bytes')
    if args.stock_ssc:
        from icao_card import IcaoSecureMessagingSE
        IcaoSecureMessagingSE.stock_ssc = True
    card = load_lds_card(args.lds, extended_length=not args.short_only, fixed_challenge=challenge)
    icc = TunedVirtualICC(card, args.host, args.port, quickack=not args.no_quickack)
    print('ready', flush=True)
    try:
        icc.run()
    except (KeyboardInterrupt, SystemExit):
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
