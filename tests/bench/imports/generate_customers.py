#!/usr/bin/env python3
"""Writes the preflight benchmark's import: a customerio-track CSV of N rows
(default 1,000,000, about 150 MB) with quoting, embedded commas and a few
UTF-8 names, deterministic for a given seed."""
import argparse
import random

FIRST = ["Ana", "Bo", "Chloé", "Dmitri", "Eve", "Farid", "Greta", "Hiro", "Ines", "Jörg", "Kai", "Lena"]
LAST = ["Smith", "Müller", "O'Brien", "Nakamura", "García", "Kowalski", "Dubois", "Rossi"]
PLANS = ["free", "starter", "pro", "enterprise"]
SOURCES = ["newsletter-2024-q3", "partner-referral", "organic-search", "paid-social"]
CITIES = ["Berlin", "São Paulo", "New York", "Tokyo", "Lagos", "Paris, TX", "Zürich"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", default="/tmp/headroom-bench-1m.csv")
    ap.add_argument("--seed", type=int, default=6)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write("id,email,first_name,last_name,plan,age,vip,created_at,city,source,notes\n")
        for i in range(1, args.rows + 1):
            first = rnd.choice(FIRST)
            last = rnd.choice(LAST)
            city = rnd.choice(CITIES)
            city = f'"{city}"' if "," in city else city
            note = f'"said ""hi"", then left; visit {rnd.randint(1, 99)}"' if i % 7 == 0 else f"visit {rnd.randint(1, 99)} of the spring campaign via newsletter"
            f.write(
                f"u{i:08d},{first.lower()}.{i}@example.com,{first},{last},{rnd.choice(PLANS)},"
                f"{rnd.randint(18, 90)},{'true' if i % 5 == 0 else 'false'},"
                f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}T{rnd.randint(0, 23):02d}:15:00Z,"
                f"{city},{rnd.choice(SOURCES)},{note}\n"
            )


if __name__ == "__main__":
    main()
