"""Generate a district at scale for benchmarks: `python -m bench.generate_district --communities 500`
(with the site's settings and DATABASE_URL, like manage.py).

A command of the benchmarks, not of the site: the apps never import bench/, so it is run as a
module rather than registered with manage.py. The test suite runs it at a tiny size; see
bench/README.md.
"""

import os
import sys

import django

if __name__ == "__main__":  # run as a script: Django is set up before the models are imported
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    django.setup()

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from bench.district import Sizes, generate


class Command(BaseCommand):
    help = "生成大规模测试数据（乡镇、村社区、公约及其历次版本、公示、协商议题及记录、表单回复）。"

    def add_arguments(self, parser):
        parser.add_argument("--communities", type=int, default=50)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--prefix", default="gen", help="township slug prefix")
        parser.add_argument("--notices", type=int, default=50, help="per community")
        parser.add_argument("--consultations", type=int, default=20, help="per community")
        parser.add_argument("--answers", type=int, default=100, help="per community form")
        parser.add_argument("--popular-answers", type=int, default=3000, help="first form")
        parser.add_argument("--max-articles", type=int, default=150)
        parser.add_argument("--max-versions", type=int, default=15)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        sizes = Sizes(
            articles=(min(20, options["max_articles"]), options["max_articles"]),
            versions=(1, options["max_versions"]),
            notices=options["notices"],
            consultations=options["consultations"],
            answers=options["answers"],
            popular_answers=options["popular_answers"],
        )
        bar = tqdm(
            total=options["communities"],
            unit="村",
            desc="generate_district",
            disable=options["no_progress"],
            file=self.stderr._out,
        )
        try:
            report = generate(
                options["communities"],
                seed=options["seed"],
                sizes=sizes,
                prefix=options["prefix"],
                progress=bar.update,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        counts = ", ".join(f"{k}={v}" for k, v in report.created.items())
        self.stdout.write(
            f"{report.communities} communities, {report.pages} pages in {report.seconds:.1f} s "
            f"({report.pages_per_second:.1f} pages/s); {counts}"
        )


def main(argv: list[str]) -> None:
    Command().run_from_argv(["python -m bench.generate_district", "generate_district", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
