// bench/field.py: 200 entries queued in the phone's IndexedDB exactly as field.js queues them.
(async () => {
  const open = () => new Promise((ok) => { const r = indexedDB.open("bangfu-field"); r.onsuccess = () => ok(r.result); });
  const db = await open();
  const roster = await new Promise((ok) => { db.transaction("meta").objectStore("meta").get("roster").onsuccess = (e) => ok(e.target.result); });
  const t = db.transaction("entries", "readwrite");
  const store = t.objectStore("entries");
  const at = new Date().toISOString();
  const add = (kind, p, data, summary) => store.put({ key: crypto.randomUUID(), kind, person: p.id, name: p.name, summary, data, recorded_at: at, state: "waiting" });
  const list = roster.people;
  for (let i = 0; i < 150; i++) {
    const p = list[i % list.length];
    const day = new Date(Date.UTC(2026, 0, 1 + Math.floor(i / list.length))).toISOString().slice(0, 10);
    add("visit", p, { visited_on: day, method: "上门", result: "在岗", note: "" }, day);
  }
  for (let i = 0; i < 30; i++) {
    const p = list[(i * 7 + 1) % list.length];
    add("employment_start", p, { employer_name: `吉首某公司${i}`, started_on: "2026-11-02", place: "县内", monthly_wage: "3000" }, "");
  }
  const holders = list.filter((p) => p.post);
  for (let i = 0; i < 20; i++) {
    const p = holders[i % holders.length];
    const month = roster.months[i < holders.length ? 0 : 1];
    add("duty", p, { month, days_on_duty: "20", days_due: "22", seen: ((p.duty || {})[month] || {}).v || "" }, month);
  }
  await new Promise((ok) => { t.oncomplete = ok; });
  db.close();
  return 200;
})
