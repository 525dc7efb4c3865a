"""`qa-dashboard pack`: make a quarter's board pack from the shell, and list or fetch past packs.

    qa-dashboard pack --period "2025-26 Q2" --format pdf|pptx -o FILE --as USER
    qa-dashboard pack --list
    qa-dashboard pack --fetch PACK_ID -o FILE

A generated pack is kept in the store "as presented" (with its checksum), exactly as from the page.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from dashboard.cli.common import acting_user, engine_from, output_format
from data_access import board_packs

# The pack's formats by the output file's extension (a file without one is a PDF).
PACK_FORMATS = {".pdf": "pdf", ".pptx": "pptx"}


def cmd_pack(args: argparse.Namespace) -> int:
    """Generate (and keep) a board pack (--period, -o and --as required), list past packs, or
    fetch one pack's exact bytes."""
    generating = not args.list and args.fetch is None
    if generating:
        # Everything a pack needs is checked before any work (the pack takes a while to make).
        missing = [
            flag
            for flag, value in (
                ("--period", args.period),
                ("-o FILE", args.output),
                ("--as USER", args.as_user),
            )
            if not value
        ]
        if missing:
            print(
                "Error: to generate a pack, give " + ", ".join(missing) + " (--as names the "
                "account generating it, recorded with the pack: a QA officer, executive or "
                "administrator)."
            )
            return 2
        chosen = output_format(Path(args.output), args.format, PACK_FORMATS, default="pdf")
        if chosen.problem:
            print(f"Error: {chosen.problem}")
            return 2
    engine = engine_from(args)
    if args.list:
        packs = board_packs.list_packs(engine=engine)
        if packs.empty:
            print("No board pack has been generated yet.")
            return 0
        for _, row in packs.iterrows():
            print(
                f"{int(row['id']):>4}  {row['period_code']}  {str(row['file_format']).upper():4}"
                f"  {row['generated_at']:%Y-%m-%d %H:%M}  {row['generated_by']:<16}"
                f"  sha256 {row['checksum']}  {row['file_name']}"
            )
        return 0
    if args.fetch is not None:
        if not args.output:
            print("Give the file to write with -o FILE.")
            return 2
        stored = board_packs.fetch_pack(engine=engine, pack_id=args.fetch)
        if stored is None:
            print(f"There is no board pack number {args.fetch}.")
            return 1
        Path(args.output).write_bytes(stored.content)
        print(
            f"Wrote pack {stored.id} ({stored.period_code}, {stored.file_format}) to "
            f"{args.output}; sha256 {board_packs.sha256_hex(stored.content)}"
        )
        return 0
    actor = acting_user(engine, args.as_user, "board_pack")
    if actor is None:
        return 2
    args.as_user = actor
    output = Path(args.output)
    file_format = chosen.format
    # Imported here: the builders load the PDF and PowerPoint libraries, which take a while.
    from dashboard.board_pack.generate import PackUnavailable, generate_packs

    started = time.perf_counter()
    result = generate_packs(
        engine=engine,
        period_code=args.period,
        generated_by=args.as_user,
        formats=(file_format,),
        record=not args.no_record,
    )
    if isinstance(result, PackUnavailable):
        print(result.message)
        return 1
    pack = result[0]
    output.write_bytes(pack.content)
    kept = f"kept as pack {pack.pack_id}" if pack.pack_id is not None else "not recorded"
    print(
        f"Wrote {output} ({len(pack.content):,} bytes, {file_format}) in "
        f"{time.perf_counter() - started:.1f} s; sha256 {pack.checksum}; {kept}."
    )
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the pack command to `qa-dashboard`."""
    pack = subparsers.add_parser(
        "pack",
        help=cmd_pack.__doc__,
        usage="%(prog)s --period PERIOD -o FILE --as USER [--format {pdf,pptx}] [--no-record]\n"
        "       %(prog)s --list\n"
        "       %(prog)s --fetch PACK_ID -o FILE",
        description="Generate a quarter's board pack (--period, -o and --as are required), list "
        "the packs kept in the store, or fetch one pack's exact bytes.",
    )
    pack.add_argument("--period", help='required to generate: the quarter, e.g. "2025-26 Q2"')
    pack.add_argument(
        "--format",
        choices=board_packs.PACK_FORMATS,
        help="pdf or pptx (default: from the output file's extension; pdf for a file without "
        "one); a file whose extension says another format is refused",
    )
    pack.add_argument("-o", "--output", help="the file to write, ending .pdf or .pptx")
    pack.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        help="required to generate: the account generating the pack (recorded with it); a QA "
        "officer, executive or administrator",
    )
    pack.add_argument(
        "--no-record", action="store_true", help="do not keep the pack in the store (a draft)"
    )
    pack.add_argument("--list", action="store_true", help="list the packs kept in the store")
    pack.add_argument(
        "--fetch", type=int, metavar="PACK_ID", help="write a kept pack's exact bytes to -o FILE"
    )
    pack.set_defaults(func=cmd_pack)
