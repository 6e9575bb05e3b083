#!/usr/bin/env python3
"""Fills a benchmark store with appeals for the month statistics benchmark (issue 14): N appeals over the
twelve months before the given month, in the villages of an existing benchmark county (zhenggai-bench rhythm
or seed made it), every state and kind, answered within or past their limit, some visited back.

The rows are written straight into the SQLite file, not through the desk: the statistics read the appeals
table only (never the audit log), and a million appeals through the desk's write path would take hours.
Run on a copy made for the purpose, never on a county's data.

    bench/appeals/seed.py DB.sqlite --appeals 1000000 --month 2026-11
"""
import argparse, random, sqlite3, time, uuid, datetime

parser = argparse.ArgumentParser()
parser.add_argument("db")
parser.add_argument("--appeals", type=int, default=1_000_000)
parser.add_argument("--month", default="2026-11", help="the last month that gets appeals")
args = parser.parse_args()

db = sqlite3.connect(args.db)
units = db.execute("SELECT id, path, kind, parent_id FROM units").fetchall()
villages = [u for u in units if u[2] in ("village", "community")]
townships = {u[0]: u for u in units if u[2] == "township"}
if not villages:
    raise SystemExit("这个数据目录里没有村（社区）：请先运行 zhenggai-bench rhythm 或 seed")
categories = [row[0] for row in db.execute("SELECT code FROM appeal_categories")]
if not categories:
    db.execute(
        "INSERT INTO appeal_categories (code, name, description, keywords, grp, position) VALUES "
        "('HJWS', '环境卫生', '垃圾清运、污水、村容村貌', '垃圾,污水,卫生', '城乡建设', 1)")
    categories = ["HJWS"]

year, month = map(int, args.month.split("-"))
china = datetime.timezone(datetime.timedelta(hours=8))
end = datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=china).timestamp()
start = datetime.datetime(year - 1 + (month == 12), month % 12 + 1, 1, tzinfo=china).timestamp()
kinds = ["consultation", "help", "suggestion", "complaint", "report"]
statuses = ["closed"] * 6 + ["answered"] * 2 + ["dispatched", "rejected", "merged", "registered"]
def insert(rows):
    db.executemany(
        "INSERT INTO appeals (id, number, channel, kind, urgent, category, area_id, area_path, place, text, "
        "person_name, person_phone, status, department_id, department_path, received_at, dispatched_at, due_on, "
        "answered_at, answer, closed_at, satisfaction, reopened, version) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)


random.seed(14)
began = time.time()
batch = []
for n in range(args.appeals):
    village = villages[n % len(villages)]
    township = townships.get(village[3])
    received = start + (end - start) * random.random()
    status = random.choice(statuses)
    answered = received + random.uniform(0.2, 25) * 86400 if status in ("answered", "closed") else None
    due = datetime.datetime.fromtimestamp(received + 15 * 86400, china).strftime("%Y-%m-%d")
    satisfaction = random.choice([5, 5, 4, 4, 4, 3, 2, 1]) if status == "closed" and n % 3 else None
    batch.append((
        str(uuid.uuid4()).upper(), "SQB-%07d" % (n + 1), "phone", kinds[n % 5], n % 17 == 0, categories[n % len(categories)],
        village[0], village[1], "村口", "负载测试诉求：垃圾池满了，请尽快清运（第%d件）" % (n + 1), "测试人", "13900000000",
        status, township[0] if township and status != "registered" else None,
        township[1] if township and status != "registered" else None, received,
        received + 3600 if status != "registered" else None, due, answered,
        "已处理" if answered else None, answered + 86400 if status == "closed" and answered else None,
        satisfaction, 0, 1))
    if len(batch) == 20_000:
        insert(batch)
        batch = []
insert(batch)
db.commit()
total = db.execute("SELECT count(*) FROM appeals").fetchone()[0]
print("APPEALS=%d SECONDS=%.0f" % (total, time.time() - began))
