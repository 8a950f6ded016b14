"""Write a user's corpus as a CSV (id, date, source, category, text) from real news: a seeded
sample of VNTC read from ../shared/corpora (never copied into the project).

    python benchmarks/user_corpus.py OUT.csv [--n 300] [--seed 0]
    vnparty analyze OUT.csv --out report --by category --by source

VNTC gives the category (its label) and the newspaper (the code in the file name: VNE
VnExpress, NLD Người Lao Động, TT Tuổi Trẻ, TN Thanh Niên) but no dates: the ``date`` column
is ASSIGNED here (seeded, spread over 2019-2024) so that the time axis of a report can be
tried; it says nothing about when the articles appeared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "vntc_train.jsonl.gz"
SOURCES = {"VNE": "VnExpress", "NLD": "Người Lao Động", "TT": "Tuổi Trẻ", "TN": "Thanh Niên"}
CATEGORIES = {"Chinh tri Xa hoi": "Chính trị Xã hội", "Doi song": "Đời sống",
              "Khoa hoc": "Khoa học", "Kinh doanh": "Kinh doanh", "Phap luat": "Pháp luật",
              "Suc khoe": "Sức khỏe", "The gioi": "Thế giới", "The thao": "Thể thao",
              "Van hoa": "Văn hóa", "Vi tinh": "Vi tính"}


def sample(n: int, seed: int, corpus: Path = CORPUS) -> pd.DataFrame:
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    rng = np.random.default_rng(seed)
    picked = [rows[i] for i in sorted(rng.choice(len(rows), size=n, replace=False))]
    days = rng.integers(0, (dt.date(2024, 12, 31) - dt.date(2019, 1, 1)).days, size=n)
    out = []
    for row, day in zip(picked, days):
        code = re.search(r"_\s*([A-Z]+)_", row["id"])
        out.append({"id": row["id"], "date": (dt.date(2019, 1, 1) + dt.timedelta(int(day))).isoformat(),
                    "source": SOURCES.get(code.group(1) if code else "", "unknown"),
                    "category": CATEGORIES.get(row["category"], row["category"]),
                    "text": row["text"]})
    return pd.DataFrame(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="CSV file to write")
    parser.add_argument("--n", type=int, default=300, help="articles (default 300)")
    parser.add_argument("--seed", type=int, default=0, help="sample seed (default 0)")
    args = parser.parse_args()
    frame = sample(args.n, args.seed)
    frame.to_csv(args.out, index=False)
    print(f"wrote {args.out}: {len(frame)} VNTC articles, "
          f"{frame['category'].nunique()} categories, {frame['source'].nunique()} sources")


if __name__ == "__main__":
    main()
