const $$ = s => document.querySelectorAll(s), fs = document.getElementById('f-status'),
  fc = document.getElementById('f-code');
function applyFilter() {
  const s = fs.value, c = fc.value; let n = 0;
  $$('section.doc').forEach(d => {
    d.hidden = !((!s || d.dataset.status === s) && (!c || d.dataset.codes.split(' ').includes(c)));
    if (!d.hidden) n++; });
  $$('tr.docrow').forEach(t => { t.hidden = document.getElementById(t.dataset.doc).hidden; });
  $$('li.finding').forEach(f => f.classList.toggle('dim', !!c && f.dataset.code !== c));
  document.getElementById('shown').textContent = n;
}
fs.onchange = fc.onchange = applyFilter;
document.addEventListener('click', ev => {
  const b = ev.target.closest('[data-set-status],[data-set-code],#f-clear'); if (!b) return;
  if (b.id === 'f-clear') { fs.value = fc.value = ''; }
  if (b.dataset.setStatus) fs.value = fs.value === b.dataset.setStatus ? '' : b.dataset.setStatus;
  if (b.dataset.setCode) fc.value = fc.value === b.dataset.setCode ? '' : b.dataset.setCode;
  applyFilter(); });
const q = new URLSearchParams(location.search);  // report.html?status=…&code=… presets
fs.value = q.get('status') || ''; fc.value = q.get('code') || ''; applyFilter();
window.addEventListener('load', () => {
  let ok = 0, bad = 0;
  $$('img.evidence').forEach(i => { const good = i.complete && i.naturalWidth > 0;
    i.dataset.loaded = good ? '1' : '0'; good ? ok++ : bad++; });
  const el = document.getElementById('img-status');
  el.dataset.ok = ok; el.dataset.broken = bad;
  el.textContent = bad ? bad + ' 张证据图像未能加载' : '';
});
