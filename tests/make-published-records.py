#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes records CSV (codebook section 5) whose marginals follow the
published reports (shared domain notes), independently of the C code:

  Den Haag, five rounds: 64 participants, 193 interviews (44, 35, 35, 45,
  34 per round); of the 34 interviewed in the last round, 18 took part in
  all five rounds and one was new.
  Flevoland: 33 interviews at T0, 46 at T1 (21 of them second interviews),
  58 unique participants; of the 12 not re-interviewed, 5 declined and 7
  could not be reached.

Everything else (residences, episodes, answers) is random but seeded, so
the output is the same on every run. Usage:

  make-published-records.py            rewrite tests/records/*/
  make-published-records.py --check    exit 1 if the files differ
"""

import csv
import io
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "records")

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NAMES = [
    "Ahmed", "Anouk", "Bas", "Bram", "Carla", "Cor", "Daan", "Dirk", "Eva", "Els",
    "Fatima", "Femke", "Gijs", "Hanna", "Hans", "Ilse", "Ivo", "Jan", "Joke", "Karim",
    "Kees", "Lars", "Lotte", "Mo", "Mila", "Nadia", "Niels", "Omar", "Olga", "Piet",
    "Priya", "Quinten", "Rachid", "Rosa", "Sam", "Sanne", "Tom", "Tess", "Umut", "Vera",
    "Wim", "Wendy", "Xander", "Yara", "Youssef", "Zoë", "Aad", "Bea", "Chris", "Dewi",
    "Emre", "Fleur", "Gert", "Hatice", "Ingrid", "Jesse", "Kim", "Leo", "Mariam", "Noor",
    "Otto", "Petra", "Ruud", "Sevda", "Theo", "Ursula", "Vincent", "Willem", "Yusuf", "Zeynep",
]
F = ["mo", "bw"]
H = ["omklap", "housing_first", "eigen_woning"]
E = ["tijdelijk", "netwerk", "straat", "nachtopvang", "detentie", "instelling"]

PARTICIPANT_COLUMNS = ["code", "pseudonym", "region", "municipality", "origin", "birth_year",
                       "hist_street", "hist_youthcare_placement", "hist_unsafe_home", "hist_remigration"]
ROUND_COLUMNS = ["code", "round", "status", "date", "residence", "residence_since", "participation",
                 "participation_fit", "debts", "money_management", "income", "indication",
                 "consent_research", "consent_wmo_linkage"]
EPISODE_COLUMNS = ["code", "start", "end", "residence"]


def month(m):
    return "%04d-%02d" % (m // 12, m % 12 + 1)


def maybe(rng, values, empty=0.1):
    return "" if rng.random() < empty else rng.choice(values)


def patterns_den_haag(rng):
    """Attendance patterns (one bit per round) with the published marginals."""
    target = [44, 35, 35, 45, 34]
    fixed = [[1, 1, 1, 1, 1]] * 18 + [[0, 0, 0, 0, 1]]
    # 26 more start at T0, 19 join in T1..T3: 18 + 26 = 44 at T0, and
    # 64 - 44 - 1 = 19 new in T1..T3.
    free = []
    while len(free) < 26:
        p = [1] + [rng.randint(0, 1) for _ in range(4)]
        if p != [1, 1, 1, 1, 1]:
            free.append(p)
    for _ in range(19):
        start = rng.randint(1, 3)
        free.append([0] * start + [1] + [rng.randint(0, 1) for _ in range(4 - start)])

    def valid(p):
        if 1 not in p:
            return False
        first = p.index(1)
        if p[0] == 1:
            return p != [1, 1, 1, 1, 1]
        return 1 <= first <= 3

    def error(ps):
        sums = [sum(p[r] for p in fixed + ps) for r in range(5)]
        return sum((s - t) ** 2 for s, t in zip(sums, target))

    current = error(free)
    while current > 0:  # hill-climb to the published per-round counts
        i = rng.randrange(len(free))
        r = rng.randrange(1, 5)
        p = free[i][:]
        p[r] ^= 1
        # A T0 starter keeps T0; a later starter keeps its start round.
        if not valid(p) or (free[i][0] == 1) != (p[0] == 1) or p.index(1) != free[i].index(1):
            continue
        old = free[i]
        free[i] = p
        new = error(free)
        if new <= current:
            current = new
        else:
            free[i] = old
    ps = fixed + free
    assert [sum(p[r] for p in ps) for r in range(5)] == target
    assert sum(1 for p in ps if p == [1, 1, 1, 1, 1]) == 18
    assert sum(1 for p in ps if p == [0, 0, 0, 0, 1]) == 1
    return ps


def patterns_flevoland(rng):
    # 21 in both rounds, 12 only at T0 (5 declined, 7 unreachable at T1),
    # 25 new at T1: 33 at T0, 46 at T1, 58 in all.
    ps = [([1, 1], None)] * 21
    ps += [([1, 0], "declined")] * 5 + [([1, 0], "unreachable")] * 7
    ps += [([0, 1], None)] * 25
    rng.shuffle(ps)
    return ps


def make_study(rng, region, municipalities, patterns, first_year, gap_statuses):
    participants, rounds, episodes = [], [], []
    codes = set()
    names = rng.sample(NAMES, len(patterns))

    for index, (pattern, status_after) in enumerate(patterns):
        while True:
            code = region + "-" + "".join(rng.choice(CROCKFORD) for _ in range(5))
            if code not in codes:
                codes.add(code)
                break
        municipality, origin = rng.choice(municipalities)
        participants.append({
            "code": code, "pseudonym": names[index], "region": region,
            "municipality": maybe(rng, [municipality]), "origin": origin,
            "birth_year": maybe(rng, [str(rng.randint(1950, 2002))]),
            "hist_street": maybe(rng, ["ja", "nee", "niet_besproken"]),
            "hist_youthcare_placement": maybe(rng, ["ja", "nee", "niet_besproken"]),
            "hist_unsafe_home": maybe(rng, ["ja", "nee", "niet_besproken"]),
            "hist_remigration": maybe(rng, ["ja", "nee", "niet_besproken"]),
        })

        first = pattern.index(1)
        last_interview = max(r for r, bit in enumerate(pattern) if bit)
        cursor = None            # the month up to which stays are known
        residence = since = None
        for r, bit in enumerate(pattern):
            if r < first:
                continue
            row = dict.fromkeys(ROUND_COLUMNS, "")
            row.update({"code": code, "round": "T%d" % r})
            if not bit:
                # After the last interview a round may have no row at all.
                if r > last_interview and status_after is None and rng.random() < 0.3:
                    continue
                row["status"] = status_after or rng.choice(gap_statuses)
                rounds.append(row)
                continue

            date_month = (first_year + r) * 12 + rng.randint(1, 5)
            day = rng.randint(1, 28)
            if cursor is None:
                # History before the first interview, sometimes.
                start = date_month - rng.randint(2, 60)
                if rng.random() < 0.4:
                    ep_start = start - rng.randint(6, 36)
                    episodes.append({"code": code, "start": month(ep_start), "end": month(start),
                                     "residence": rng.choice(E + F + ["onbekend"])})
                residence = rng.choice(F * 4 + H + E)
                since = start
            elif rng.random() < 0.45:
                # Moved since the last interview, sometimes via an episode.
                new_since = rng.randint(cursor + 1, date_month)
                if new_since - cursor >= 3 and rng.random() < 0.5:
                    ep_start = rng.randint(cursor + 1, new_since - 1)
                    episodes.append({"code": code, "start": month(ep_start),
                                     "end": month(new_since) if rng.random() < 0.9 else month(new_since - 1),
                                     "residence": rng.choice(E + H + F)})
                residence = rng.choice(F * 2 + H * 2 + E + ["onbekend"])
                since = new_since
            cursor = date_month
            row.update({
                "status": "interviewed",
                "date": "%s-%02d" % (month(date_month), day),
                "residence": maybe(rng, [residence], 0.03),
                "residence_since": month(since) if rng.random() < 0.8 else "",
                "participation": maybe(rng, ["betaald_werk", "beschut_werk", "opleiding", "werk_zoekend",
                                             "vrijwilligerswerk", "dagbesteding", "geen", "onbekend"]),
                "participation_fit": maybe(rng, ["passend", "doorontwikkelen", "niet_passend",
                                                 "niet_participerend", "zoekend", "onbekend"]),
                "debts": maybe(rng, ["ja", "nee", "onbekend"]),
                "money_management": maybe(rng, ["zelf", "bewindvoering", "budgetbeheer", "familie_anders",
                                                "onbekend"]),
                "income": maybe(rng, ["uitkering", "werk", "geen", "anders", "onbekend"]),
                "indication": maybe(rng, ["wmo_bw", "wlz", "geen", "onbekend"]),
                "consent_research": "ja",
                "consent_wmo_linkage": maybe(rng, ["ja", "nee"]),
            })
            # A stay recorded without its start month begins at the
            # interview; the cursor must not run ahead of an episode.
            if row["residence_since"] == "":
                since = date_month
            rounds.append(row)

    return participants, rounds, episodes


def to_csv(columns, rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def studies():
    rng = random.Random(20180601)
    den_haag = make_study(
        rng, "DH",
        [("Den Haag", "centrumgemeente"), ("Rijswijk", "regiogemeente"),
         ("Leidschendam-Voorburg", "regiogemeente"), ("Wassenaar", "regiogemeente"),
         ("Rotterdam", "buiten_regio"), ("Den Haag, Scheveningen", "centrumgemeente")],
        [(p, None) for p in patterns_den_haag(rng)], 2018,
        ["declined", "unreachable", "admitted", "not_approached"])
    flevoland = make_study(
        rng, "FL",
        [("Almere", "centrumgemeente"), ("Lelystad", "centrumgemeente"), ("Dronten", "regiogemeente"),
         ("Zeewolde", "regiogemeente"), ("Urk", "regiogemeente"), ("Amsterdam", "buiten_regio")],
        patterns_flevoland(rng), 2020, ["declined", "unreachable"])
    return {"denhaag": den_haag, "flevoland": flevoland}


def main():
    check = "--check" in sys.argv[1:]
    differ = False
    for name, (participants, rounds, episodes) in studies().items():
        files = {
            "participants.csv": to_csv(PARTICIPANT_COLUMNS, participants),
            "rounds.csv": to_csv(ROUND_COLUMNS, rounds),
            "episodes.csv": to_csv(EPISODE_COLUMNS, episodes),
        }
        folder = os.path.join(OUT, name)
        for file_name, text in files.items():
            path = os.path.join(folder, file_name)
            if check:
                with open(path, encoding="utf-8", newline="") as f:
                    if f.read() != text:
                        print("%s differs from what the script writes" % path)
                        differ = True
            else:
                os.makedirs(folder, exist_ok=True)
                with open(path, "w", encoding="utf-8", newline="") as f:
                    f.write(text)
    if check:
        print("1 passed, 0 failed" if not differ else "0 passed, 1 failed")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
