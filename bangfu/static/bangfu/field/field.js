// 村级离线工作: the officer's laborer list and the entries recorded without a signal, kept in IndexedDB
// (masked, as on screen) and sent when the network returns, each under its own idempotency key so that
// the server applies it once. Plain script, no library: it must start fast on a weak signal.
"use strict";

(function () {
  const body = document.body;
  const URLS = {
    people: body.dataset.people, sync: body.dataset.sync, sw: body.dataset.sw,
    scope: body.dataset.scope, login: body.dataset.login,
  };
  const BATCH = 50;
  const SENT_KEPT = 50; // sent entries kept to show (their content removed); the total is counted apart
  const KIND = { visit: "跟踪回访", employment_start: "登记就业", employment_end: "结束就业", duty: "出勤" };
  const $ = (selector, root) => (root || document).querySelector(selector);

  // --- IndexedDB ---------------------------------------------------------------------------------------
  let dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const open = indexedDB.open("bangfu-field", 1);
        open.onupgradeneeded = () => {
          open.result.createObjectStore("meta");
          const entries = open.result.createObjectStore("entries", { keyPath: "key" });
          entries.createIndex("state", "state");
        };
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
    }
    return dbPromise;
  }
  async function tx(stores, mode, work) {
    const database = await db();
    return new Promise((resolve, reject) => {
      const t = database.transaction(stores, mode);
      let result;
      t.oncomplete = () => resolve(result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
      result = work(t);
    });
  }
  const req = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  async function getMeta(name) {
    let value;
    await tx(["meta"], "readonly", (t) => req(t.objectStore("meta").get(name)).then((v) => { value = v; }));
    return value;
  }
  const setMeta = (name, value) => tx(["meta"], "readwrite", (t) => { t.objectStore("meta").put(value, name); });
  async function allEntries() {
    let list = [];
    await tx(["entries"], "readonly", (t) => req(t.objectStore("entries").getAll()).then((v) => { list = v; }));
    return list.sort((a, b) => a.recorded_at.localeCompare(b.recorded_at));
  }
  const putEntry = (entry) => tx(["entries"], "readwrite", (t) => { t.objectStore("entries").put(entry); });
  const dropEntry = (key) => tx(["entries"], "readwrite", (t) => { t.objectStore("entries").delete(key); });

  // --- state -------------------------------------------------------------------------------------------
  let roster = null; // {user, today, months, people, choices, fetched_at}
  let entries = [];
  let syncing = false;

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  const person = (id) => (roster ? roster.people.find((p) => p.id === id) : null);
  const waitingFor = (id) => entries.filter((e) => e.person === id && e.state === "waiting");

  function notice(text, ok, login) {
    const box = $("#notice");
    box.textContent = text || "";
    if (login) box.append(" ", el("a", { href: URLS.login, class: "btn", text: "重新登录" }));
    box.hidden = !text;
    box.classList.toggle("ok", !!ok);
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat(Infinity)) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  async function showCounts() {
    const sentTotal = (await getMeta("sent_total")) || 0;
    const waiting = entries.filter((e) => e.state === "waiting").length;
    const rejected = entries.filter((e) => e.state === "rejected").length;
    $("#count-waiting b").textContent = waiting;
    $("#count-sent b").textContent = sentTotal;
    $("#count-rejected b").textContent = rejected;
    $("#count-waiting").classList.toggle("has", waiting > 0);
    $("#count-rejected").classList.toggle("has", rejected > 0);
    const net = $("#net");
    net.textContent = navigator.onLine ? "在线" : "无网络";
    net.classList.toggle("off", !navigator.onLine);
  }

  // --- network -----------------------------------------------------------------------------------------
  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.status === 401 || response.redirected) throw Object.assign(new Error("login"), { login: true });
    if (!response.ok) throw new Error((await response.json().catch(() => ({}))).error || "服务器暂时无法访问。");
    const data = await response.json();
    if (response.headers.get("X-CSRFToken")) data.csrf = response.headers.get("X-CSRFToken");
    return data;
  }

  async function refreshRoster() {
    if (!navigator.onLine) return;
    try {
      const fresh = await getJSON(URLS.people);
      if (roster && roster.user && roster.user.id !== fresh.user.id) await wipe(); // another login on this phone
      roster = { ...fresh, csrf: undefined };
      await setMeta("roster", roster);
      setLogoutToken(fresh.csrf);
    } catch (error) {
      if (error.login) notice("登录已过期：请重新登录，已录入的记录会保留在本机。", false, true);
    }
  }

  async function sync() {
    if (syncing || !navigator.onLine) return;
    const waiting = entries.filter((e) => e.state === "waiting");
    if (!waiting.length) return;
    syncing = true;
    $("#send").disabled = true;
    let sent = 0, rejected = 0;
    try {
      const state = await getJSON(URLS.sync);
      setLogoutToken(state.csrf);
      for (let i = 0; i < waiting.length; i += BATCH) {
        const batch = waiting.slice(i, i + BATCH);
        const response = await fetch(URLS.sync, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": state.csrf, Accept: "application/json" },
          body: JSON.stringify({
            user: roster ? roster.user.id : undefined,
            entries: batch.map((e) => ({ key: e.key, kind: e.kind, person: e.person, recorded_at: e.recorded_at, data: e.data })),
          }),
        });
        if (response.status === 401 || response.redirected) throw Object.assign(new Error("login"), { login: true });
        const answer = await response.json().catch(() => ({}));
        if (!response.ok) throw new Error(answer.error || "发送失败，稍后会自动重试。");
        for (const result of answer.results || []) {
          const entry = batch.find((e) => e.key === result.key);
          if (!entry) continue;
          if (result.status === "applied") {
            entry.state = "sent"; entry.sent_at = result.received_at; entry.data = {}; sent += 1;
          } else {
            entry.state = "rejected"; entry.reason = result.reason; rejected += 1;
          }
          await putEntry(entry);
        }
        await setMeta("sent_total", ((await getMeta("sent_total")) || 0) + (answer.results || []).filter((r) => r.status === "applied").length);
        entries = await allEntries(); // the counts follow each answered batch
        await showCounts();
      }
      await pruneSent();
      notice(`已发送 ${sent} 条` + (rejected ? `，退回 ${rejected} 条（请查看原因）` : "") + "。", !rejected);
      await refreshRoster();
    } catch (error) {
      if (error.login) notice("登录已过期：请重新登录后再发送，记录仍保留在本机。", false, true);
      else notice(`${error.message || "发送中断"}（未发送的记录会在有网络时自动重发）`);
    } finally {
      syncing = false;
      $("#send").disabled = false;
      entries = await allEntries();
      await showCounts();
      if (!/^#p\/\d+\/./.test(location.hash)) render(); // never under the officer's fingers in a form
    }
  }

  async function pruneSent() {
    const sent = (await allEntries()).filter((e) => e.state === "sent").sort((a, b) => b.sent_at.localeCompare(a.sent_at));
    for (const old of sent.slice(SENT_KEPT)) await dropEntry(old.key);
  }

  // --- recording ---------------------------------------------------------------------------------------
  async function record(kind, p, data, summary, replaces) {
    const entry = {
      key: uuid(), kind, person: p.id, name: p.name, summary, data,
      recorded_at: new Date().toISOString(), state: "waiting",
    };
    // A redone entry replaces the rejected one once it is saved.
    const redone = redoing && redoing.person === p.id ? [redoing] : [];
    redoing = null;
    for (const old of [...(replaces || []), ...redone]) await dropEntry(old.key);
    await putEntry(entry);
    entries = await allEntries();
    await showCounts();
    notice(navigator.onLine ? "已保存，正在发送……" : "已保存在本机，有网络时自动发送。", true);
    location.hash = `#p/${p.id}`;
    render();
    sync();
  }

  function field(label, input) {
    const id = `f-${input.getAttribute("name")}`;
    input.id = id;
    return [el("label", { for: id, text: label }), input];
  }
  const select = (name, values, chosen, blank) =>
    el("select", { name, required: blank ? null : true },
      blank ? el("option", { value: "", text: blank }) : null,
      values.map((v) => el("option", { value: v, text: v, selected: v === chosen })));
  const input = (name, type, value, extra) => el("input", { name, type, value: value || "", ...(extra || {}) });
  const today = () => new Date().toLocaleDateString("sv-SE"); // YYYY-MM-DD on the phone's own day

  function form(title, fields, onsubmit) {
    const f = el("form", { class: "form card" }, el("h3", { text: title }), fields, el("button", { type: "submit", class: "btn btn-primary", text: "保存" }));
    f.addEventListener("submit", (event) => {
      event.preventDefault();
      onsubmit(Object.fromEntries(new FormData(f).entries()));
    });
    return f;
  }

  function visitForm(p, d) {
    d = d || {};
    const c = roster.choices;
    return form("登记跟踪回访", [
      field("回访日期", input("visited_on", "date", d.visited_on || today(), { max: today(), required: true })),
      field("回访方式", select("method", c.method, d.method || "上门")),
      field("回访结果", select("result", c.result, d.result)),
      field("备注", input("note", "text", d.note, { maxlength: 300 })),
    ], (v) => record("visit", p, v, `${v.visited_on} ${v.method}：${v.result}`));
  }

  function startForm(p, d) {
    d = d || {};
    return form("登记就业", [
      field("单位名称", input("employer_name", "text", d.employer_name, { required: true, maxlength: 100 })),
      field("入职日期", input("started_on", "date", d.started_on || today(), { max: today(), required: true })),
      field("务工地域", select("place", roster.choices.place, d.place, "（不填）")),
      field("月工资（元）", input("monthly_wage", "number", d.monthly_wage, { min: 0, inputmode: "numeric" })),
    ], (v) => record("employment_start", p, v, `${v.employer_name}，${v.started_on} 入职`));
  }

  function endForm(p, job, d) {
    d = d || {};
    return form(`结束就业：${job.employer}（${job.started_on} 入职）`, [
      field("离职日期", input("ended_on", "date", d.ended_on || today(), { max: today(), min: job.started_on, required: true })),
      field("离职原因", select("reason", roster.choices.end_reason, d.reason, "（不填）")),
    ], (v) => record("employment_end", p, { ...v, record: String(job.id), seen: job.v }, `${job.employer}，${v.ended_on} 离职`));
  }

  function dutyForm(p, d) {
    d = d || {};
    const month = d.month || roster.months[roster.months.length - 1];
    const kept = (p.duty || {})[month];
    return form(`填报出勤：${p.post}`, [
      field("年月", select("month", roster.months, month)),
      field("在岗天数", input("days_on_duty", "number", d.days_on_duty ?? (kept ? kept.on : ""), { min: 0, max: 31, required: true, inputmode: "numeric" })),
      field("应出勤天数", input("days_due", "number", d.days_due ?? (kept ? kept.due : ""), { min: 1, max: 31, required: true, inputmode: "numeric" })),
    ], (v) => {
      // A newer figure for the same month replaces the one still waiting (it saw the same version).
      const same = waitingFor(p.id).filter((e) => e.kind === "duty" && e.data.month === v.month);
      const seen = same.length ? same[0].data.seen : ((p.duty || {})[v.month] || {}).v || "";
      record("duty", p, { ...v, seen }, `${v.month} 在岗 ${v.days_on_duty}/${v.days_due} 天`, same);
    });
  }

  // --- views -------------------------------------------------------------------------------------------
  let query = "";
  function listView() {
    const view = el("div");
    if (!roster) {
      view.append(el("p", { class: "muted", text: navigator.onLine ? "正在下载人员名单……" : "本机还没有人员名单：请在有网络时打开一次本页。" }));
      return view;
    }
    const search = el("input", { type: "search", name: "q", value: query, placeholder: "按姓名查找", "aria-label": "按姓名查找" });
    const list = el("ul", { class: "people" });
    const fill = () => {
      list.replaceChildren();
      const shown = roster.people.filter((p) => !query || p.name.includes(query));
      for (const p of shown.slice(0, 300)) {
        const waiting = waitingFor(p.id).length;
        list.append(el("li", {}, el("a", { class: "person", href: `#p/${p.id}` },
          el("div", { class: "name" }, p.name, p.post ? el("span", { class: "tag", text: "公益性岗位" }) : null,
            waiting ? el("span", { class: "tag wait", text: `待发送 ${waiting}` }) : null),
          el("div", { class: "meta", text: `${p.sex} ${p.age}岁 · ${p.village} · ${p.status || "务工状态未填"}` }))));
      }
      if (shown.length > 300) list.append(el("li", { class: "muted", text: `另有 ${shown.length - 300} 人，请输入姓名查找。` }));
      if (!shown.length) list.append(el("li", { class: "muted", text: "没有符合条件的人员。" }));
    };
    search.addEventListener("input", () => { query = search.value.trim(); fill(); });
    fill();
    const fetched = roster.fetched_at ? new Date(roster.fetched_at).toLocaleString("zh-CN") : "";
    view.append(
      el("div", { class: "search" }, search),
      el("p", { class: "sub", text: `${roster.user.area} · 劳动力 ${roster.people.length} 人` + (fetched ? ` · 名单更新于 ${fetched}` : "") }),
      roster.truncated ? el("p", { class: "notice", text: "人数过多，只保存了部分人员；请以乡镇或村级账号使用离线工作。" }) : null,
      list,
    );
    return view;
  }

  function personView(id, open, prefill) {
    const p = person(id);
    if (!p) return el("p", { class: "muted", text: "本机名单中没有此人。" }, " ", el("a", { href: "#", text: "返回名单" }));
    const pendingEnds = new Set(waitingFor(id).filter((e) => e.kind === "employment_end").map((e) => e.data.record));
    const buttons = el("div", { class: "actions" },
      el("a", { class: "btn btn-primary", href: `#p/${id}/visit`, text: "登记回访" }),
      el("a", { class: "btn", href: `#p/${id}/start`, text: "登记就业" }),
      p.post ? el("a", { class: "btn", href: `#p/${id}/duty`, text: "填报出勤" }) : null);
    const jobs = (p.jobs || []).map((job) => el("div", { class: "card" },
      el("div", { text: `${job.employer}，${job.started_on} 入职` }),
      pendingEnds.has(String(job.id)) ? el("div", { class: "tag wait", text: "结束就业待发送" })
        : el("a", { class: "btn", href: `#p/${id}/end/${job.id}`, text: "结束就业" })));
    let formNode = null;
    if (open === "visit") formNode = visitForm(p, prefill);
    if (open === "start") formNode = startForm(p, prefill);
    if (open === "duty" && p.post) formNode = dutyForm(p, prefill);
    if (open && open.startsWith("end/")) {
      const job = (p.jobs || []).find((j) => String(j.id) === open.slice(4));
      if (job) formNode = endForm(p, job, prefill);
    }
    const mine = entries.filter((e) => e.person === id && e.state !== "sent");
    return el("div", {},
      el("a", { href: "#", class: "btn", text: "‹ 返回名单" }),
      el("div", { class: "card" },
        el("h2", { text: p.name }),
        el("div", { class: "sub", text: `证件号码 ${p.idm} · ${p.sex} ${p.age}岁` }),
        el("div", { class: "sub", text: `${p.village} · ${p.type || "户类型未填"} · 联系电话 ${p.phone || "—"}` }),
        el("div", { class: "sub", text: `务工状态：${p.status || "未填"}` + (p.visited ? ` · 最近回访 ${p.visited}` : "") }),
        p.post ? el("div", { class: "sub", text: `公益性岗位：${p.post}` }) : null),
      buttons, formNode,
      jobs.length ? el("h3", { text: "在岗就业记录" }) : null, jobs,
      mine.length ? el("h3", { text: "本机记录" }) : null, mine.map(entryCard));
  }

  function entryCard(e) {
    const card = el("div", { class: `card entry ${e.state}` },
      el("div", {}, el("b", { text: `${KIND[e.kind]}：${e.name}` }), el("span", { class: "tag", text: { waiting: "待发送", rejected: "已退回", sent: "已发送" }[e.state] })),
      el("div", { class: "sub", text: e.summary }),
      el("div", { class: "sub", text: `录入于 ${new Date(e.recorded_at).toLocaleString("zh-CN")}` + (e.sent_at ? `，已于 ${new Date(e.sent_at).toLocaleString("zh-CN")} 送达` : "") }));
    if (e.state === "rejected") {
      card.append(el("div", { class: "reason", text: `退回原因：${e.reason}` }), el("div", { class: "row" },
        person(e.person) ? el("button", { type: "button", class: "btn btn-primary", text: "重新填写", onclick: () => redo(e) }) : null,
        el("button", { type: "button", class: "btn", text: "不再处理", onclick: () => dismiss(e) })));
    }
    return card;
  }

  function queueView() {
    const waiting = entries.filter((e) => e.state === "waiting");
    const rejected = entries.filter((e) => e.state === "rejected");
    const sent = entries.filter((e) => e.state === "sent").reverse();
    return el("div", {},
      el("a", { href: "#", class: "btn", text: "‹ 返回名单" }),
      el("h2", { text: `退回 ${rejected.length} 条` }), rejected.length ? rejected.map(entryCard) : el("p", { class: "muted", text: "没有退回的记录。" }),
      el("h2", { text: `待发送 ${waiting.length} 条` }), waiting.length ? waiting.map(entryCard) : el("p", { class: "muted", text: "没有待发送的记录。" }),
      el("h2", { text: "最近已发送" }), sent.length ? sent.map(entryCard) : el("p", { class: "muted", text: "还没有发送过记录。" }));
  }

  let redoing = null;
  function redo(e) {
    redoing = e;
    const where = { visit: "visit", employment_start: "start", duty: "duty", employment_end: `end/${e.data.record}` }[e.kind];
    location.hash = `#p/${e.person}/${where}`;
  }
  async function dismiss(e) {
    await dropEntry(e.key);
    entries = await allEntries();
    await showCounts();
    render();
  }

  function render() {
    const hash = location.hash.replace(/^#/, "");
    const view = $("#view");
    const parts = hash.split("/");
    let node;
    if (parts[0] === "p") {
      const prefill = redoing && redoing.person === Number(parts[1]) ? redoing.data : null;
      node = personView(Number(parts[1]), parts.slice(2).join("/") || null, prefill);
    } else if (parts[0] === "queue") node = queueView();
    else node = listView();
    view.replaceChildren(node);
  }

  // --- logout: nothing of the laborers stays on the phone ---------------------------------------------
  function setLogoutToken(token) {
    const field = $("#logout input[name=csrfmiddlewaretoken]");
    if (field && token) field.value = token;
  }
  async function wipe() {
    if (dbPromise) { (await dbPromise).close(); dbPromise = null; }
    await new Promise((resolve) => { const r = indexedDB.deleteDatabase("bangfu-field"); r.onsuccess = r.onerror = r.onblocked = resolve; });
    if (window.caches) for (const name of await caches.keys()) await caches.delete(name);
    if (navigator.serviceWorker) for (const reg of await navigator.serviceWorker.getRegistrations()) await reg.unregister();
    roster = null; entries = [];
  }
  $("#logout").addEventListener("submit", async (event) => {
    event.preventDefault();
    const waiting = entries.filter((e) => e.state === "waiting").length;
    if (waiting && !window.confirm(`还有 ${waiting} 条记录没有发送，退出后将从本机删除。确定退出吗？`)) return;
    await wipe();
    if (navigator.onLine) event.target.submit();
    else { notice("本机数据已清除。有网络时请重新登录。", true); render(); }
  });

  // --- start -------------------------------------------------------------------------------------------
  $("#send").addEventListener("click", () => (navigator.onLine ? sync() : notice("当前没有网络，记录已保存在本机，有网络时自动发送。")));
  window.addEventListener("online", () => { showCounts(); sync(); });
  window.addEventListener("offline", () => showCounts());
  window.addEventListener("hashchange", () => { window.scrollTo(0, 0); render(); });

  async function start() {
    roster = (await getMeta("roster")) || null;
    // The list is kept on the phone only so long (keep_days, from the server): older, it is dropped.
    if (roster && Date.now() - new Date(roster.fetched_at).getTime() > roster.keep_days * 86400000) {
      roster = null;
      await setMeta("roster", null);
    }
    entries = await allEntries();
    if (roster) $("#who").textContent = `${roster.user.name} · ${roster.user.area}`;
    await showCounts();
    render();
    body.dataset.shown = roster ? "1" : "";
    if ("serviceWorker" in navigator) navigator.serviceWorker.register(URLS.sw, { scope: URLS.scope }).catch(() => null);
    await refreshRoster();
    if (roster) $("#who").textContent = `${roster.user.name} · ${roster.user.area}`;
    body.dataset.ready = "1";
    body.dataset.shown = roster ? "1" : "";
    if (!/^#p\/\d+\/./.test(location.hash)) render();
    await sync();
  }
  start();
})();
