"""`onnxstudio providers [--json]`: every execution provider, whether it works here, and why not."""

from __future__ import annotations

import argparse

from onnxstudio.cli.common import print_json
from onnxstudio.core.engine import probe_providers
from onnxstudio.core.providers import installed_distributions, list_providers


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("providers", help="list execution providers, available or not and why")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.add_argument("--no-probe", action="store_true",
                   help="do not load each provider in a child process to check that it really works")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import onnxruntime as ort

    probes = None if args.no_probe else probe_providers()
    infos = list_providers(probes)
    dists = installed_distributions()
    if args.json:
        print_json({"onnxruntime": ort.__version__, "distributions": dists, "device": ort.get_device(),
                    "providers": [i.to_dict() for i in infos]})
        return 0
    print(f"onnxruntime {ort.__version__} ({', '.join(dists) or 'unknown distribution'})")
    if len(dists) > 1:
        print("warning: more than one onnxruntime distribution is installed; they overwrite each other's files")
    width = max(len(i.name) for i in infos)
    for i in infos:
        mark = "yes" if i.available else "no "
        print(f"  {mark}  {i.name:<{width}}  {i.short:<12} {'' if i.available else i.reason}".rstrip())
    return 0
