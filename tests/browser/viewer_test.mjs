// Browser tests of the specialists' viewer: Debian's chromium driven by playwright-core against
// a real Orthanc with the Relais plugin (started by the relais_browser_hub launcher).
//   node viewer_test.mjs --hub <relais_browser_hub> --artifacts <folder for screenshots>
// Each step leaves a screenshot in the artifacts folder; any failed check exits non-zero.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { chromium } from 'playwright-core';

function argument(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const hubPath = argument('hub');
const artifacts = argument('artifacts', path.resolve('artifacts'));
const only = argument('only', '');
mkdirSync(artifacts, { recursive: true });
// Only this run's screenshots: an earlier run's, numbered otherwise, would pass for this one's.
for (const file of readdirSync(artifacts)) if (file.endsWith('.png')) unlinkSync(path.join(artifacts, file));

// Flags from the machine notes: without the background-networking ones Chromium keeps dialing
// out on a closed network.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function startHub() {
  return new Promise((resolve, reject) => {
    const child = spawn(hubPath, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error('hub did not start within 120 s')), 120000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve({ child, ...JSON.parse(line) });
    });
    child.once('exit', (code) => reject(new Error(`hub exited with ${code} before it was ready`)));
  });
}

function stopHub(hub) {
  return new Promise((resolve) => {
    hub.child.once('exit', resolve);
    hub.child.stdin.end();
    setTimeout(() => hub.child.kill('SIGKILL'), 30000).unref();
  });
}

async function api(hub, user, method, url, body) {
  const response = await fetch(hub.baseUrl + url, {
    method,
    headers: { Authorization: `Basic ${Buffer.from(`${user}:${user}-pass`).toString('base64')}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch (_) { /* not JSON */ }
  return { status: response.status, json, text };
}

let shot = 0;
async function screenshot(page, name) {
  shot += 1;
  const file = path.join(artifacts, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  console.log(`  screenshot ${file}`);
}

async function newPage(browser, hub, locale = 'fr-FR') {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  // Console errors count as page errors: a resource the hub refused or could not find shows here.
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('response', (r) => { if (r.status() >= 400) console.log(`  ${r.status()} ${r.request().method()} ${r.url()}`); });
  await page.goto(`${hub.baseUrl}/relais/app/`);
  return page;
}

async function signIn(page, user) {
  await page.fill('#signin-user', user);
  await page.fill('#signin-password', `${user}-pass`);
  await page.click('#signin-submit');
}

async function fillReport(page, template) {
  for (const section of template.sections) {
    for (const field of section.fields) {
      if (!field.required) continue;
      const id = `#field-${field.id}`;
      switch (field.type) {
        case 'text': await page.fill(id, 'Lésion pigmentée asymétrique de 14 mm, bords irréguliers, deux couleurs.'); break;
        case 'number': await page.fill(id, String(field.min !== undefined ? Math.max(field.min, Math.min(field.max ?? 1e9, 22)) : 22)); break;
        case 'date': await page.fill(id, '2027-01-15'); break;
        case 'choice': await page.selectOption(id, field.options[field.options.length > 1 ? 1 : 0].id); break;
        case 'coded':
          await page.selectOption(`${id}-scheme`, field.codingSchemes[0]);
          await page.fill(`${id}-code`, '372244006');
          await page.fill(`${id}-meaning`, 'Malignant melanoma');
          break;
        default: break;
      }
    }
  }
}

// Every workflow needs its case: a hub without case routes or without the case fails the test.
// Signs in as `user` and opens the case from its specialty's queue.
async function openCase(page, user, queue, caseId) {
  await signIn(page, user);
  await page.locator(`a.queue[data-queue="${queue}"]`).click();
  await page.locator(`tr[data-case-id="${caseId}"] a[data-action="open"]`).click();
}

// While a clip plays, the pane shows one frame after another (at least six within 8 s).
async function assertFramesAdvance(page) {
  const seen = new Set();
  const until = Date.now() + 8000;
  while (seen.size < 6 && Date.now() < until) {
    seen.add(await page.locator('#pane-current').getAttribute('data-frame'));
    await page.waitForTimeout(50);
  }
  assert.ok(seen.size >= 6, `playing shows successive frames (saw ${[...seen]})`);
}

// Screen points of image pixels (column x, row y) in a pane, from the image's box on screen.
async function screenPoints(page, pane, size, points) {
  return page.evaluate(([sel, [columns, rows], pts]) => {
    const box = document.querySelector(`${sel} img.frame`).getBoundingClientRect();
    return pts.map(([x, y]) => ({ x: box.left + (x / columns) * box.width, y: box.top + (y / rows) * box.height }));
  }, [pane, size, points]);
}

// A measurement drawn with the mouse from one image pixel to another.
async function measureWithMouse(page, pane, size, from, to) {
  const [a, b] = await screenPoints(page, pane, size, [from, to]);
  const before = Number(await page.locator(pane).getAttribute('data-measures'));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 6 });
  await page.mouse.up();
  await page.waitForFunction(([sel, n]) => Number(document.querySelector(sel).dataset.measures) === n, [pane, before + 1]);
  return measurementRow(page, pane, before + 1);
}

// The same with a finger, as on a tablet: touch events through the DevTools protocol, which
// Chromium turns into pointer events of type touch.
async function measureWithTouch(page, pane, size, from, to) {
  const [a, b] = await screenPoints(page, pane, size, [from, to]);
  const before = Number(await page.locator(pane).getAttribute('data-measures'));
  const cdp = await touchSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: a.x, y: a.y }] });
  for (let k = 1; k <= 6; k++) {
    const x = a.x + ((b.x - a.x) * k) / 6;
    const y = a.y + ((b.y - a.y) * k) / 6;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
  }
  // The finger rests before lifting: lifted while moving, Chromium starts a fling, and the next
  // tap only stops the fling (no click).
  await page.waitForTimeout(150);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: b.x, y: b.y }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await page.waitForFunction(([sel, n]) => Number(document.querySelector(sel).dataset.measures) === n, [pane, before + 1]);
  return measurementRow(page, pane, before + 1);
}

// One DevTools session per page for every touch, taps on buttons included: touches from two
// sessions would be taken for two fingers.
async function touchSession(page) {
  if (!page.touch) page.touch = await page.context().newCDPSession(page);
  return page.touch;
}

async function tapWithTouch(page, selector) {
  const box = await page.locator(selector).boundingBox();
  const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const cdp = await touchSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
  await page.waitForTimeout(80);  // a finger's tap, not a flick
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

async function measurementRow(page, pane, n) {
  const row = page.locator(`${pane} li.measure-row[data-measure="${n}"]`);
  return { row, value: Number(await row.getAttribute('data-value')), unit: await row.getAttribute('data-unit'),
    text: await row.locator('.measure-value').innerText() };
}

// Every NUM content item of a structured report (Orthanc's simplified tags), at any depth.
function numericItems(content, out = []) {
  for (const item of content || []) {
    if (item.ValueType === 'NUM') out.push(item);
    numericItems(item.ContentSequence, out);
  }
  return out;
}

function needCase(hub, name) {
  assert.ok(hub.hasCaseRoutes && hub.cases[name] !== undefined, `the hub has no ${name} case (case routes: ${hub.hasCaseRoutes})`);
  return hub.cases[name];
}

const tests = {
  async dermatologist(browser, hub) {
    const caseId = needCase(hub, 'dermatology');
    const page = await newPage(browser, hub);
    await page.waitForSelector('#signin-user');
    await screenshot(page, 'signin');
    await signIn(page, 'derm1');

    // Queues with counts; the dermatology queue holds the new case, the prior, and the case
    // that received a photo after an information request.
    const queue = page.locator('a.queue[data-queue="dermatology"]');
    await queue.waitFor();
    assert.match(await queue.innerText(), /\b3 en attente/);
    // The queue goes by its French name, not the hub's id.
    assert.match(await queue.innerText(), /Dermatologie/);
    await screenshot(page, 'queues');
    await queue.click();
    const row = page.locator(`tr[data-case-id="${caseId}"]`);
    await row.waitFor();
    // The side travels with the site, in the reader's language.
    assert.equal(await row.locator('.question .site').innerText(), 'Forearm, gauche');
    await screenshot(page, 'queue');

    // Claim from the list, then open the case.
    await row.locator('button[data-action="claim"]').click();
    await page.locator(`tr[data-case-id="${caseId}"] button[data-action="release"]`).waitFor();
    await page.locator(`tr[data-case-id="${caseId}"] a[data-action="open"]`).click();
    await page.waitForSelector('#patient');
    assert.match(await page.innerText('#patient'), /Diallo/i);
    assert.equal(await page.innerText('#back-to-queue'), '← File Dermatologie');
    // What the images are: the study's date, modality, description, the unit and who sent it.
    const study = await page.innerText('#study');
    assert.match(study, /^Examen du 2026-11-24 · XC · Teledermatology skin lesion · Unité \S+ · Envoyé par \S+/);
    assert.match(await page.innerText('#question'), /mélanome/);
    assert.equal(await page.innerText('#body-site'), 'Forearm, gauche');
    assert.equal(await page.innerText('#header-body-site'), 'Forearm, gauche');
    assert.match(await page.innerText('#report-body-site'), /Forearm, gauche/);
    // The history keeps the unit's line breaks.
    assert.match(await page.locator('#clinical dd:not(#question)', { hasText: 'Surveillance' }).innerText(), /2019\.\n\s*Surveillance/);
    const pane = page.locator('#pane-current');
    await page.waitForFunction(() => Number(document.querySelector('#pane-current')?.dataset.loadedWidth) > 0);
    const previewWidth = Number(await pane.getAttribute('data-loaded-width'));
    assert.ok(previewWidth < 4000, `the first image is a preview (got ${previewWidth} px)`);
    await page.waitForFunction(() => [...document.querySelectorAll('#thumbnails img')].every((i) => i.complete && i.naturalWidth > 0));
    await screenshot(page, 'case');

    // The overlay names the patient and the study's date on the image; O hides it, and it stays
    // hidden on the next image until its button shows it again.
    const info = pane.locator('.image-info');
    assert.match(await info.innerText(), /DIALLO Awa\s+2026-11-24[\s\S]*Zoom 100 %/);
    await page.keyboard.press('o');
    assert.equal(await pane.getAttribute('data-overlay'), 'hidden');
    assert.equal(await info.isVisible(), false);
    await screenshot(page, 'overlay-hidden');
    const firstImage = await pane.getAttribute('data-instance');
    await page.locator('#thumbnails button.thumb').nth(1).click();
    await page.waitForFunction((id) => document.querySelector('#pane-current').dataset.instance !== id, firstImage);
    await page.waitForFunction(() => document.querySelector('#pane-current .pane-status').innerText.includes('%'));
    assert.equal(await pane.getAttribute('data-overlay'), 'hidden');
    assert.equal(await info.isVisible(), false);
    await page.click('#pane-current button[data-tool="overlay"]');
    assert.equal(await info.isVisible(), true);
    assert.equal(await pane.locator('button[data-tool="overlay"]').getAttribute('aria-pressed'), 'true');
    await page.locator('#thumbnails button.thumb').nth(0).click();
    await page.waitForFunction((id) => document.querySelector('#pane-current').dataset.instance === id, firstImage);

    // Zoom: the wheel first, then one-to-one: the full 4000-pixel photo is fetched.
    const stage = pane.locator('.stage');
    const box = await stage.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction(() => Number(document.querySelector('#pane-current').dataset.zoom) > 1.2);
    await page.click('#pane-current button[data-tool="full"]');
    await page.waitForFunction(() => document.querySelector('#pane-current').dataset.loadedWidth === '4000', null, { timeout: 20000 });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 80, { steps: 5 });
    await page.mouse.up();
    await screenshot(page, 'zoom-full-resolution');
    await page.click('#pane-current button[data-tool="fit"]');

    // Side by side with the prior case: C pressed twice while the prior is on its way (its
    // detail held back 300 ms) opens one prior pane, not two.
    await page.route(`**/relais/v1/cases/${needCase(hub, 'dermatologyPrior')}`, async (route) => {
      await new Promise((done) => setTimeout(done, 300));
      await route.continue();
    });
    await page.keyboard.press('c');
    await page.keyboard.press('c');
    await page.waitForFunction(() => Number(document.querySelector('#pane-prior')?.dataset.loadedWidth) > 0);
    assert.equal(await page.locator('#panes.two').count(), 1);
    assert.equal(await page.locator('section.pane').count(), 2, 'one current and one prior pane');
    assert.equal(await page.innerText('#pane-prior .pane-title'), 'Examen antérieur · 2025-11-18');
    await screenshot(page, 'compare-with-prior');

    // The report form: empty submit shows inline errors; a draft survives a reload.
    const templateAnswer = await api(hub, 'derm1', 'GET', '/relais/v1/templates/dermatology');
    const template = templateAnswer.json;
    assert.ok(template && template.sections, `template: ${templateAnswer.status} ${templateAnswer.text}`);
    await page.waitForSelector('#report-form');
    await page.click('#report-submit');
    await page.waitForSelector('.field.invalid');
    assert.ok(await page.locator('.field.invalid').count() >= 1);
    await screenshot(page, 'report-validation');
    await fillReport(page, template);
    await page.reload();
    await page.waitForSelector('#report-form');
    const firstText = template.sections.flatMap((s) => s.fields).find((f) => f.required && f.type === 'text');
    await page.waitForFunction((id) => document.querySelector(`#field-${id}`)?.value.length > 0, firstText.id);
    await screenshot(page, 'report-draft-restored');

    await page.click('#report-submit');
    await page.waitForSelector('#report-status.ok', { timeout: 30000 });
    await screenshot(page, 'report-submitted');

    // Back in the queue, the case has left it.
    await page.waitForSelector('#cases, #no-cases');
    await page.waitForFunction((id) => !document.querySelector(`tr[data-case-id="${id}"]`), caseId);
    await screenshot(page, 'queue-after-report');

    // Opened again, the case shows its images only: the report's SR and PDF series have no
    // pixels to show.
    await page.goto(`${hub.baseUrl}/relais/app/#/case/${caseId}`);
    await page.waitForFunction(() => Number(document.querySelector('#pane-current')?.dataset.loadedWidth) > 0);
    await page.waitForFunction(() => [...document.querySelectorAll('#thumbnails img')].every((i) => i.complete && i.naturalWidth > 0));
    assert.doesNotMatch(await page.innerText('#thumbnails'), /\b(SR|DOC)\b/);
    await screenshot(page, 'reported-case-images-only');

    // The SR is stored in the study.
    const detail = (await api(hub, 'admin', 'GET', `/relais/v1/cases/${caseId}`)).json;
    assert.ok(['reported', 'delivered'].includes(detail.state), `case state ${detail.state}`);
    const series = (await api(hub, 'admin', 'GET', `/studies/${detail.orthancStudyId}/series`)).json;
    const modalities = series.map((s) => s.MainDicomTags.Modality);
    assert.ok(modalities.includes('SR'), `study has an SR series (got ${modalities})`);
    assert.deepEqual(page.errors, []);
  },

  // A photo the dermatologist asked for has arrived: the queue row says so, the case shows the
  // question asked and which photo answers it; once the holder has opened it, the row no longer says so.
  async newImagesAfterInformationRequest(browser, hub) {
    const caseId = needCase(hub, 'newImages');
    const page = await newPage(browser, hub);
    await signIn(page, 'derm1');
    const listings = [];
    page.on('request', (r) => { if (r.url().includes('/relais/v1/cases?')) listings.push(new URL(r.url())); });
    await page.locator('a.queue[data-queue="dermatology"]').click();
    const row = page.locator(`tr[data-case-id="${caseId}"]`);
    await row.waitFor();
    // The queue's open cases come in one request, not one per state.
    assert.deepEqual(listings.map((u) => u.searchParams.get('state')), ['queued,claimed,info-requested']);
    assert.equal(await row.locator('.badge.new-images').innerText(), 'Nouvelles images');
    assert.equal(await page.locator('tr .badge.new-images').count(), 1, 'only the case that received images');
    await screenshot(page, 'queue-new-images');

    await row.locator('a[data-action="open"]').click();
    await page.waitForSelector('#new-images');
    assert.match(await page.innerText('#info-request'), /lumière rasante.*\(derm1, il y a \d+ min\)/s);
    await page.waitForFunction(() => [...document.querySelectorAll('#thumbnails img')]
      .every((i) => i.complete && i.naturalWidth > 0));
    const fresh = page.locator('#thumbnails .series', { hasText: 'lumière rasante' });
    assert.equal(await fresh.locator('.badge.new-images').count(), 1, 'the series that came after the request');
    assert.equal(await fresh.locator('button.thumb.new .new-mark').innerText(), 'Nouvelle');
    assert.equal(await page.locator('#thumbnails button.thumb.new').count(), 1, 'the photo routed first is not new');
    // The case opens on the photo that answers the request, not on the one already seen.
    const answer = await fresh.locator('button.thumb.new').getAttribute('data-instance');
    await page.waitForFunction((id) => document.querySelector('#pane-current').dataset.instance === id, answer);
    await screenshot(page, 'case-new-images');

    // Taking the case opens it as its holder: the hub clears the flag, the view keeps saying it.
    await page.click('#claim');
    await page.waitForSelector('#release');
    assert.equal(await page.locator('#new-images').count(), 1);
    await page.click('#back-to-queue');
    await row.waitFor();
    assert.equal(await row.locator('.badge.new-images').count(), 0, 'opened by its holder: no longer new');
    await screenshot(page, 'queue-new-images-seen');
    const detail = (await api(hub, 'admin', 'GET', `/relais/v1/cases?queue=dermatology&state=claimed`)).json;
    assert.equal(detail.cases.find((c) => c.id === caseId).newImages, false);

    // A second question, answered in writing by the nurse: the case shows the answer under it.
    const path = `/relais/v1/cases/${caseId}`;
    const asked = await api(hub, 'derm1', 'POST', `${path}/request-info`, { message: 'Depuis quand saigne-t-elle ?' });
    assert.equal(asked.status, 200);
    const answered = await api(hub, 'nurse07', 'POST', `${path}/info-answer`, { message: 'Depuis 2 semaines.' });
    assert.equal(answered.status, 200);
    await row.locator('a[data-action="open"]').click();
    await page.waitForSelector('#info-answer');
    assert.match(await page.innerText('#info-request'), /^Depuis quand saigne-t-elle \?/);
    assert.match(await page.innerText('#info-answer'), /^Depuis 2 semaines\. \(nurse07, il y a \d+ min\)/);
    // The photo that answered the first question came before this one: no longer new.
    assert.equal(await page.locator('#thumbnails button.thumb.new').count(), 0);
    await screenshot(page, 'case-written-answer');
    assert.deepEqual(page.errors, []);
  },

  async obstetrician(browser, hub) {
    const caseId = needCase(hub, 'obstetrics');
    const page = await newPage(browser, hub);
    // The clip's frames are preloaded (quality 80) several at a time, not one after another.
    let preloading = 0;
    let mostPreloading = 0;
    const isPreload = (r) => r.url().includes('/rendered?') && new URL(r.url()).searchParams.get('quality') === '80';
    page.on('request', (r) => { if (isPreload(r)) mostPreloading = Math.max(mostPreloading, ++preloading); });
    for (const done of ['requestfinished', 'requestfailed']) page.on(done, (r) => { if (isPreload(r)) --preloading; });
    await openCase(page, 'obgyn1', 'obstetrics-gynaecology', caseId);
    await page.waitForFunction(() => Number(document.querySelector('#pane-current')?.dataset.loadedWidth) > 0);
    await page.waitForSelector('#pane-current button[data-tool="play"]');
    // A French obstetrician writes a gestational age in SA (semaines d'aménorrhée), not "wk".
    await page.waitForSelector('#report-form');
    assert.equal(await page.locator('.field[data-field="gestational-age"] .unit').innerText(), 'SA');
    // The clip is marked as one among the thumbnails, with its frame count.
    assert.equal((await page.locator('button.thumb span.cine-mark').allInnerTexts()).join('|'), '▶ 24');
    await page.waitForFunction(() => document.querySelector('#pane-current').dataset.preloaded === '24');
    assert.ok(mostPreloading >= 2, `clip frames preloaded several at a time (at most ${mostPreloading} in flight)`);
    await screenshot(page, 'ultrasound-clip');

    // Play: the frame advances by itself; pause stops it; step moves one frame.
    await page.click('#pane-current button[data-tool="play"]');
    await assertFramesAdvance(page);
    await screenshot(page, 'ultrasound-playing');
    await page.click('#pane-current button[data-tool="play"]');
    await page.waitForFunction(() => document.querySelector('#pane-current').dataset.playing === 'false');
    const paused = Number(await page.locator('#pane-current').getAttribute('data-frame'));
    await page.waitForTimeout(300);
    assert.equal(Number(await page.locator('#pane-current').getAttribute('data-frame')), paused);
    await page.click('#pane-current button[data-tool="next"]');
    await page.waitForFunction((f) => Number(document.querySelector('#pane-current').dataset.frame) === (f + 1) % 24, paused);
    await page.selectOption('#pane-current select[data-tool="speed"]', '2');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((f) => Number(document.querySelector('#pane-current').dataset.frame) === (f + 2) % 24, paused);
    await screenshot(page, 'ultrasound-paused-stepped');
    assert.deepEqual(page.errors, []);
  },

  // On a slow link, playing before the clip is preloaded waits for the frames on their way
  // instead of downloading them a second time.
  async obstetricianSlowLink(browser, hub) {
    const caseId = needCase(hub, 'obstetrics');
    const page = await newPage(browser, hub);
    const asked = new Map();  // frame -> requests for it
    await page.route('**/rendered?*', async (route) => {
      const url = new URL(route.request().url());
      const frame = Number(url.pathname.match(/frames\/(\d+)\//)[1]);
      asked.set(frame, (asked.get(frame) || 0) + 1);
      if (url.searchParams.get('quality') === '80') await new Promise((done) => setTimeout(done, 250));
      await route.continue();
    });
    await openCase(page, 'obgyn1', 'obstetrics-gynaecology', caseId);
    await page.waitForSelector('#pane-current button[data-tool="play"]');
    await page.click('#pane-current button[data-tool="play"]');
    await page.waitForFunction(() => document.querySelector('#pane-current').dataset.preloaded === '24', null,
      { timeout: 30000 });
    await assertFramesAdvance(page);
    // Frame 0 is shown before the preload starts, so it is asked twice by design.
    const twice = [...asked].filter(([frame, times]) => frame > 0 && times > 1);
    assert.deepEqual(twice, [], 'no frame after the first is downloaded twice while playing');
    assert.deepEqual(page.errors, []);
  },

  // Leaving a case before it has loaded: nothing of it is built behind the queue (its images
  // would still be fetched, its shortcuts would act on it).
  async leavingACaseBeforeItLoads(browser, hub) {
    const caseId = needCase(hub, 'obstetrics');
    const page = await newPage(browser, hub);
    await page.route(`**/relais/v1/cases/${caseId}`, async (route) => {
      await new Promise((done) => setTimeout(done, 800));
      await route.continue();
    });
    await signIn(page, 'obgyn1');
    await page.locator('a.queue[data-queue="obstetrics-gynaecology"]').click();
    await page.locator(`tr[data-case-id="${caseId}"] a[data-action="open"]`).click();
    await page.evaluate(() => history.back());
    await page.locator(`tr[data-case-id="${caseId}"]`).waitFor();
    let rendered = 0;
    page.on('request', (r) => { if (r.url().includes('/rendered?')) rendered += 1; });
    await page.waitForTimeout(2000);
    assert.equal(rendered, 0, 'a case left before it loaded fetches no images');
    assert.equal(await page.locator('#case-header').count(), 0);
    assert.equal(await page.locator(`tr[data-case-id="${caseId}"]`).count(), 1, 'the queue stays on screen');
    assert.deepEqual(page.errors, []);
  },

  // Overdue is the specialists' delay: past the priority's target and waiting on them, not on
  // the unit's answer to an information request, nor reported.
  async overdueRule(browser, hub) {
    const page = await newPage(browser, hub);
    const verdicts = await page.evaluate(async () => {
      const { isOverdue } = await import('./js/queues.js');
      const now = Date.parse('2026-11-26T12:00:00Z');
      const hoursAgo = (h) => new Date(now - h * 3600 * 1000).toISOString();
      return {
        routineQueued80h: isOverdue({ state: 'queued', priority: 'routine', createdAt: hoursAgo(80) }, now),
        routineQueued10h: isOverdue({ state: 'queued', priority: 'routine', createdAt: hoursAgo(10) }, now),
        urgentClaimed5h: isOverdue({ state: 'claimed', priority: 'urgent', createdAt: hoursAgo(5) }, now),
        urgentAskingUnit5h: isOverdue({ state: 'info-requested', priority: 'urgent', createdAt: hoursAgo(5) }, now),
        routineReported80h: isOverdue({ state: 'reported', priority: 'routine', createdAt: hoursAgo(80) }, now),
      };
    });
    assert.deepEqual(verdicts, { routineQueued80h: true, routineQueued10h: false, urgentClaimed5h: true,
      urgentAskingUnit5h: false, routineReported80h: false });
    assert.deepEqual(page.errors, []);
  },

  async radiologist(browser, hub) {
    const caseId = needCase(hub, 'radiology');
    const page = await newPage(browser, hub);
    await openCase(page, 'rad1', 'radiology', caseId);
    await page.waitForFunction(() => Number(document.querySelector('#pane-current')?.dataset.loadedWidth) > 0);
    const pane = page.locator('#pane-current');
    assert.equal(await pane.getAttribute('data-window'), '2000,3000');  // the file's window first
    // A grey image's overlay gives its window.
    assert.match(await pane.locator('.image-info').innerText(), /KEITA Oumar[\s\S]*C 2000 \/ W 3000[\s\S]*Zoom 100 %/);
    await screenshot(page, 'xray-file-window');

    // Drag: right widens the window, down raises its centre; a new rendering follows.
    const box = await pane.locator('.stage').boundingBox();
    const before = await pane.locator('img.frame').getAttribute('src');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 200, box.y + box.height / 2 + 120, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(() => document.querySelector('#pane-current').dataset.window !== '2000,3000');
    const [center, width] = (await pane.getAttribute('data-window')).split(',').map(Number);
    assert.ok(width < 3000 && center > 2000, `window after drag: ${center}/${width}`);
    await page.waitForFunction((old) => document.querySelector('#pane-current img.frame').getAttribute('src') !== old, before);
    await screenshot(page, 'xray-window-dragged');

    await page.selectOption('#pane-current select[data-tool="presets"]', 'wide');
    await page.waitForFunction(() => document.querySelector('#pane-current').dataset.window === '2000,6000');
    await page.keyboard.press('i');
    assert.equal(await pane.locator('img.frame.inverted').count(), 1);
    await screenshot(page, 'xray-wide-inverted');

    // A SNOMED CT code (up to 18 digits) fits its box in the report form's narrow column.
    const [scroll, client] = await page.evaluate(() => {
      const code = document.querySelector('#field-diagnosis-code');
      code.value = '1234567890123456';
      return [code.scrollWidth, code.clientWidth];
    });
    assert.ok(scroll <= client, `a 16-digit code overflows its box (${scroll} > ${client} px)`);
    assert.deepEqual(page.errors, []);
  },

  async nurse(browser, hub) {
    const page = await newPage(browser, hub);
    await signIn(page, 'nurse07');
    await page.waitForSelector('#signin-error');
    assert.match(await page.innerText('#signin-error'), /accès|access/i);
    // The hub refuses too, whatever the page shows.
    assert.equal((await api(hub, 'nurse07', 'GET', '/relais/v1/queues')).status, 403);
    assert.equal((await api(hub, 'nurse07', 'GET', `/relais/v1/instances/${'0'.repeat(8)}-${'0'.repeat(8)}-${'0'.repeat(8)}-${'0'.repeat(8)}-${'0'.repeat(8)}/frames/0/rendered`)).status, 403);
    await screenshot(page, 'nurse-refused');

    // And a wrong password is named as such.
    await page.fill('#signin-user', 'derm1');
    await page.fill('#signin-password', 'wrong');
    await page.click('#signin-submit');
    await page.waitForFunction(() => /incorrect|wrong/i.test(document.querySelector('#signin-error')?.innerText || ''));
    await screenshot(page, 'wrong-password');
  },

  // A specialist whose browser speaks English reads English, in English word order.
  async english(browser, hub) {
    const caseId = needCase(hub, 'obstetrics');
    const page = await newPage(browser, hub, 'en-US');
    await signIn(page, 'obgyn1');
    // The queue says it holds an urgent case, with a badge, not a bar across the card.
    const queue = page.locator('a.queue[data-queue="obstetrics-gynaecology"]');
    const badge = queue.locator('.badge.urgent');
    assert.match(await badge.innerText(), /1 Urgent/);
    assert.match(await queue.innerText(), /Obstetrics and gynaecology/);
    assert.ok((await badge.boundingBox()).width < (await queue.boundingBox()).width / 2, 'the urgent badge fits its text');
    await screenshot(page, 'english-queues');
    // A queue that has seen many cases: the hub lists 500 older, delivered ones before the
    // waiting case in any page that is not asked for a state. The waiting case still shows.
    await page.route('**/relais/v1/cases?*', async (route) => {
      const url = new URL(route.request().url());
      const response = await route.fetch();
      if (url.searchParams.has('state')) return route.fulfill({ response });
      const answer = await response.json();
      const old = Array.from({ length: 500 }, (_, k) => ({ ...answer.cases[0], id: 100000 + k, state: 'delivered',
        priority: 'urgent', createdAt: '2026-01-01T00:00:00Z' }));
      const limit = Number(url.searchParams.get('limit') || 50);
      const cases = [...old, ...answer.cases].slice(0, limit);
      return route.fulfill({ response, json: { ...answer, cases, total: answer.total + old.length } });
    });
    await queue.click();
    const row = page.locator(`tr[data-case-id="${caseId}"]`);
    await row.waitFor();
    assert.match(await row.locator('td').nth(4).innerText(), /^\d+ (min|h|d) ago$/);
    // The buttons' cell is a cell of the row, as tall as the row.
    const [rowBox, actionsBox] = [await row.boundingBox(), await row.locator('td.actions').boundingBox()];
    assert.ok(Math.abs(rowBox.height - actionsBox.height) < 1 && Math.abs(rowBox.y - actionsBox.y) < 1,
      `row ${JSON.stringify(rowBox)}, actions cell ${JSON.stringify(actionsBox)}`);
    await screenshot(page, 'english-queue');
    await row.locator('a[data-action="open"]').click();
    await page.waitForSelector('#patient');
    assert.match(await page.innerText('#case-header'), /Received \d+ (min|h|d) ago/);
    assert.match(await page.innerText('#patient'), /born 1998-07-04/);
    assert.match(await page.innerText('#study'), /^Study of \d{4}-\d{2}-\d{2} · US · Obstetric ultrasound · Unit \S+ · Sent by \S+/);
    await page.waitForSelector('#thumbnails .series');
    assert.match(await page.innerText('#thumbnails'), /\(1 image\)/);
    await screenshot(page, 'english-case');
    assert.deepEqual(page.errors, []);
  },

  // A frame much smaller than the pane (here the radiograph as a 256-column frame) is enlarged
  // smoothly and asked for at a quality where the JPEG's blocks do not show once magnified.
  async smallFrameEnlarged(browser, hub) {
    const caseId = needCase(hub, 'radiology');
    const page = await newPage(browser, hub);
    await page.route('**/rendering', async (route) => {
      const response = await route.fetch();
      return route.fulfill({ response, json: { ...(await response.json()), columns: 256, rows: 320 } });
    });
    const qualities = [];
    page.on('request', (r) => { if (r.url().includes('/frames/0/rendered') && r.url().includes('width=256')) qualities.push(new URL(r.url()).searchParams.get('quality')); });
    await openCase(page, 'rad1', 'radiology', caseId);
    await page.waitForFunction(() => Number(document.querySelector('#pane-current')?.dataset.loadedWidth) > 0);
    const pane = page.locator('#pane-current');
    assert.equal(await pane.getAttribute('data-loaded-width'), '256');
    assert.equal(await pane.getAttribute('data-enlarged'), 'true');
    assert.ok((await pane.locator('img.frame').boundingBox()).width > 256 * 1.5, 'the frame is enlarged');
    assert.deepEqual(qualities, ['95']);
    assert.equal(await pane.locator('img.frame').evaluate((i) => getComputedStyle(i).imageRendering), 'auto');
    await screenshot(page, 'small-frame-enlarged');
    assert.deepEqual(page.errors, []);
  },

  // A case outside the specialist's scope: the refusal in the user's language alone, the hub's
  // own (English) words apart on a smaller line.
  async refusalInTheUsersLanguage(browser, hub) {
    const caseId = needCase(hub, 'radiology');
    const page = await newPage(browser, hub);
    await signIn(page, 'derm1');
    await page.locator('a.queue[data-queue="dermatology"]').waitFor();
    await page.goto(`${hub.baseUrl}/relais/app/#/case/${caseId}`);
    await page.waitForSelector('#page-error');
    assert.equal(await page.innerText('#page-error .failure-sentence'), 'Accès refusé.');
    assert.equal(await page.innerText('#page-error .failure-detail'), `case ${caseId} is outside your scope`);
    assert.equal(await page.locator('#page-error .failure-detail').getAttribute('lang'), 'en');
    const [sentence, detail] = await page.locator('#page-error').evaluate((p) => [...p.children].map((c) => parseFloat(getComputedStyle(c).fontSize)));
    assert.ok(detail < sentence, `the detail is smaller (${detail} < ${sentence} px)`);
    await screenshot(page, 'refused-in-french');
    // The same refusal in English reads in English.
    await page.click('#lang');
    await page.waitForFunction(() => document.querySelector('#page-error .failure-sentence')?.innerText === 'Access refused.');
    page.errors = page.errors.filter((e) => !/403/.test(e));  // the refused request itself
    assert.deepEqual(page.errors, []);
  },

  // A third-party study without a name (anonymised, or "^"): the queue row and the header say
  // so and show the ID, instead of a blank.
  async anonymisedPatient(browser, hub) {
    const caseId = needCase(hub, 'radiology');
    const page = await newPage(browser, hub);
    const anonymise = (c) => ({ ...c, patient: { ...c.patient, name: c.id === caseId ? '^' : c.patient.name } });
    await page.route('**/relais/v1/cases?*', async (route) => {
      const response = await route.fetch();
      const answer = await response.json();
      return route.fulfill({ response, json: { ...answer, cases: answer.cases.map(anonymise) } });
    });
    await page.route(`**/relais/v1/cases/${caseId}`, async (route) => {
      const response = await route.fetch();
      return route.fulfill({ response, json: { ...anonymise(await response.json()), sender: null } });
    });
    await openCase(page, 'rad1', 'radiology', caseId);
    await page.waitForSelector('#patient');
    assert.match(await page.innerText('#patient'), /^Patient anonymisé · ID VAN07-0311/);
    assert.equal(await page.locator('#patient.anonymous').count(), 1);
    // A case from before senders were recorded has no sender line.
    assert.doesNotMatch(await page.innerText('#study'), /Envoyé/);
    await screenshot(page, 'anonymised-case');
    await page.click('#back-to-queue');
    const row = page.locator(`tr[data-case-id="${caseId}"]`);
    await row.waitFor();
    assert.equal(await row.locator('td.patient').innerText(), 'Patient anonymisé\nID VAN07-0311');
    await screenshot(page, 'anonymised-queue');
    assert.deepEqual(page.errors, []);
  },

  // An image the hub cannot render (here its answers are replaced by a 422) stays marked on the
  // pane and its thumbnail, and the report goes only with its author's confirmation, which the
  // audit trail keeps.
  // Measurements: a ruler calibrated by Imager Pixel Spacing (0.2 mm) gives 20.0 mm for 100
  // pixels at any zoom, and its drawing follows zoom and pan.
  async measurementsOnXray(browser, hub) {
    const caseId = needCase(hub, 'radiology');
    const page = await newPage(browser, hub);
    await openCase(page, 'rad1', 'radiology', caseId);
    const pane = '#pane-current';
    const size = [1600, 2000];
    await page.waitForFunction(() => Number(document.querySelector('#pane-current')?.dataset.loadedWidth) > 0);
    await page.click(`${pane} button[data-tool="ruler"]`);
    assert.equal(await page.locator(`${pane} button[data-tool="ruler"]`).getAttribute('aria-pressed'), 'true');
    const windowBefore = await page.locator(pane).getAttribute('data-window');
    const first = await measureWithMouse(page, pane, size, [600, 1000], [700, 1000]);
    assert.equal(first.unit, 'mm');
    assert.ok(Math.abs(first.value - 20) <= 0.25, `100 pixels at fit: ${first.value} mm`);
    assert.match(first.text, /^1: \d+\.\d mm$/);
    assert.equal(await page.locator(pane).getAttribute('data-window'), windowBefore, 'measuring does not change the window');
    const lineLength = () => page.evaluate(() => {
      const l = document.querySelector('#pane-current .measure-overlay line');
      return Math.hypot(l.x2.baseVal.value - l.x1.baseVal.value, l.y2.baseVal.value - l.y1.baseVal.value);
    });
    const atFit = await lineLength();
    await screenshot(page, 'measure-xray-fit');

    // Zoomed in: the line grows with the image; a new 100-pixel line still measures 20.0 mm.
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.waitForFunction(() => document.querySelector('#pane-current').dataset.zoom === '2.25');
    const zoomed = await lineLength();
    assert.ok(Math.abs(zoomed / atFit - 2.25) < 0.02, `line on screen ${atFit} -> ${zoomed} px at zoom 2.25`);
    const second = await measureWithMouse(page, pane, size, [800, 950], [800, 1050]);
    assert.ok(Math.abs(second.value - 20) <= 0.1, `100 pixels at zoom 2.25: ${second.value} mm`);
    assert.equal(second.text, '2: 20.0 mm');
    assert.match(await page.locator(`${pane} .measure-overlay`).textContent(), /2: 20\.0 mm/);
    await screenshot(page, 'measure-xray-zoomed');
    // Escape ends measuring (back to window/level); Delete clears the measurements.
    await page.keyboard.press('Escape');
    assert.equal(await page.locator(`${pane} .stage`).getAttribute('data-tool'), 'wl');
    await page.keyboard.press('Delete');
    await page.waitForFunction(() => document.querySelector('#pane-current').dataset.measures === '0');
    assert.equal(await page.locator(`${pane} .measure-overlay g`).count(), 0);
    assert.deepEqual(page.errors, []);
  },

  // A camera photo has no calibration: its measurements say pixels, uncalibrated, and cannot
  // go into a report field in millimetres.
  async measurementsOnPhotoAreUncalibrated(browser, hub) {
    const caseId = needCase(hub, 'dermatologyPrior');
    const page = await newPage(browser, hub);
    await signIn(page, 'derm1');
    await page.goto(`${hub.baseUrl}/relais/app/#/case/${caseId}`);
    await page.waitForFunction(() => Number(document.querySelector('#pane-current')?.dataset.loadedWidth) > 0);
    await page.waitForSelector('#report-form');
    await page.keyboard.press('m');
    const m = await measureWithMouse(page, '#pane-current', [2000, 1500], [500, 500], [1300, 500]);
    assert.equal(m.unit, 'px');
    assert.ok(Math.abs(m.value - 800) <= 4, `800 pixels: ${m.value}`);
    assert.match(m.text, /^1: \d+ px, non calibré$/);
    assert.match(await page.locator('#pane-current .measure-overlay').textContent(), /px, non calibré/);
    assert.equal(await m.row.locator('button.to-report').count(), 0, 'pixels do not go into a field in mm');
    await screenshot(page, 'measure-photo-uncalibrated');
    assert.deepEqual(page.errors, []);
  },

  // An ultrasound still with a calibrated region (0.2 mm across, 0.25 mm down), measured with a
  // finger as on a tablet: inside the region in mm, across its edge in pixels; a length carried
  // into the biparietal diameter goes with the report as a number in mm, a NUM item in the SR.
  async measurementsOnUltrasoundIntoReport(browser, hub) {
    const caseId = needCase(hub, 'obstetricsBiometry');
    const claimed = await api(hub, 'obgyn1', 'POST', `/relais/v1/cases/${caseId}/claim`);
    assert.equal(claimed.status, 200, `claim: ${claimed.text}`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', hasTouch: true });
    const page = await context.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(e.message));
    await page.goto(`${hub.baseUrl}/relais/app/`);
    await signIn(page, 'obgyn1');
    await page.goto(`${hub.baseUrl}/relais/app/#/case/${caseId}`);
    const pane = '#pane-current';
    const size = [640, 480];
    await page.waitForFunction(() => Number(document.querySelector('#pane-current')?.dataset.loadedWidth) > 0);
    await page.waitForSelector('#report-form');
    const facts = (await api(hub, 'obgyn1', 'GET', `/relais/v1/instances/${await page.locator(pane).getAttribute('data-instance')}/rendering`)).json;
    assert.equal(facts.pixelSpacing.source, 'UltrasoundRegion');
    assert.deepEqual(facts.ultrasoundRegions, [{ x0: 40, y0: 20, x1: 600, y1: 430, mmPerPixelX: 0.2, mmPerPixelY: 0.25 }]);

    await tapWithTouch(page, `${pane} button[data-tool="ruler"]`);
    await page.waitForFunction(() => document.querySelector('#pane-current .stage').dataset.tool === 'ruler');
    const across = await measureWithTouch(page, pane, size, [100, 200], [300, 200]);
    assert.equal(across.unit, 'mm');
    assert.ok(Math.abs(across.value - 40) <= 0.3, `200 pixels across: ${across.value} mm`);
    const down = await measureWithTouch(page, pane, size, [320, 100], [320, 300]);
    assert.ok(Math.abs(down.value - 50) <= 0.3, `200 pixels down: ${down.value} mm`);
    const outside = await measureWithTouch(page, pane, size, [320, 300], [320, 470]);
    assert.equal(outside.unit, 'px', 'a line leaving the calibrated region is in pixels');
    assert.match(outside.text, /px, non calibré/);
    await tapWithTouch(page, `${pane} button[data-tool="area"]`);
    await page.waitForFunction(() => document.querySelector('#pane-current .stage').dataset.tool === 'area');
    const area = await measureWithTouch(page, pane, size, [200, 100], [400, 300]);
    assert.equal(area.unit, 'mm2');
    assert.ok(Math.abs(area.value - Math.PI * 20 * 25) <= 15, `ellipse: ${area.value} mm²`);
    assert.match(area.text, /^4: \d+\.\d\d cm²$/);
    await screenshot(page, 'measure-ultrasound');

    // Into the report: the length's row offers the fields in mm; the area's, none of them.
    assert.ok((await across.row.locator('select.measure-field option').allInnerTexts()).some((o) => /\(mm\)/.test(o)));
    assert.equal(await area.row.locator('button.to-report').count(), 0, 'no field in mm² or cm² in this template');
    await across.row.locator('select.measure-field').selectOption('bpd');
    await tapWithTouch(page, `${pane} li.measure-row[data-measure="1"] button.to-report`);
    const expected = Number(across.value.toFixed(1));
    assert.equal(Number(await page.inputValue('#field-bpd')), expected);
    await screenshot(page, 'measure-into-report');
    const template = (await api(hub, 'obgyn1', 'GET', '/relais/v1/templates/obstetrics-gynaecology')).json;
    await fillReport(page, template);
    assert.equal(Number(await page.inputValue('#field-bpd')), expected, 'filling the required fields kept it');
    await page.click('#report-submit');
    await page.waitForSelector('#report-status.ok', { timeout: 30000 });
    await screenshot(page, 'measure-report-submitted');
    const report = (await api(hub, 'obgyn1', 'GET', `/relais/v1/cases/${caseId}/report`)).json;
    assert.equal(report.values.bpd, expected, `report values: ${JSON.stringify(report.values)}`);
    const sr = await api(hub, 'admin', 'GET', `/instances/${report.sr.orthancId}/tags?simplify`);
    assert.equal(sr.status, 200, sr.text);
    const nums = numericItems(sr.json.ContentSequence);
    const bpd = nums.find((n) => Number(n.MeasuredValueSequence[0].NumericValue) === expected);
    assert.ok(bpd, `a NUM item of ${expected}: ${JSON.stringify(nums)}`);
    assert.equal(bpd.MeasuredValueSequence[0].MeasurementUnitsCodeSequence[0].CodeValue, 'mm');
    assert.deepEqual(page.errors, []);
    await context.close();
  },

  async undisplayedImage(browser, hub) {
    const caseId = needCase(hub, 'obstetrics');
    const claimed = await api(hub, 'obgyn1', 'POST', `/relais/v1/cases/${caseId}/claim`);
    assert.ok([200, 409].includes(claimed.status), `claim: ${claimed.status} ${claimed.text}`);
    const page = await newPage(browser, hub);
    await page.route('**/relais/v1/instances/*/frames/*/rendered*', (route) => route.fulfill({
      status: 422, contentType: 'application/json',
      body: JSON.stringify({ error: 'le décodeur a refusé cette image (JPEG 2000 endommagé)' }) }));
    await signIn(page, 'obgyn1');
    await page.goto(`${hub.baseUrl}/relais/app/#/case/${caseId}`);
    await page.waitForSelector('#pane-current[data-failed="true"] .pane-failure');
    assert.equal(await page.innerText('#pane-current .pane-failure .failure-sentence'), 'Image non affichée.');
    assert.match(await page.innerText('#pane-current .pane-failure .failure-detail'), /^le décodeur a refusé/);
    await page.waitForSelector('#thumbnails button.thumb.failed .failed-mark');
    // Still there later: a notice that fades would let the report rest on an unseen image.
    await page.waitForTimeout(4000);
    assert.equal(await page.locator('#pane-current .pane-failure').count(), 1);
    assert.equal(await page.locator('#thumbnails button.thumb.failed').count(), 1);
    await screenshot(page, 'undisplayed-image');

    const template = (await api(hub, 'obgyn1', 'GET', '/relais/v1/templates/obstetrics-gynaecology')).json;
    await page.waitForSelector('#report-form');
    await fillReport(page, template);
    let posted = 0;
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith(`/cases/${caseId}/report`)) posted += 1; });
    await page.click('#report-submit');
    await page.waitForSelector('#undisplayed-confirm');
    assert.match(await page.innerText('#undisplayed-confirm'), /1 image\(s\) de ce cas n'ont pas pu être affichées/);
    await screenshot(page, 'undisplayed-confirm');
    await page.click('#undisplayed-cancel');
    await page.waitForSelector('#undisplayed-confirm', { state: 'detached' });
    assert.equal(posted, 0, 'cancelling sends nothing');
    await page.click('#report-submit');
    await page.click('#undisplayed-submit');
    await page.waitForSelector('#report-status.ok', { timeout: 30000 });
    const audit = (await api(hub, 'obgyn1', 'GET', `/relais/v1/cases/${caseId}/audit`)).json;
    const reported = (Array.isArray(audit) ? audit : audit.audit || []).find((e) => e.action === 'report');
    assert.ok(reported, `audit: ${JSON.stringify(audit)}`);
    assert.match(reported.detail, /1 image could not be displayed, the author confirmed/);
    assert.match(reported.detail, /JPEG 2000 endommagé/);
  },
};

const hub = await startHub();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
let failed = 0;
try {
  for (const [name, test] of Object.entries(tests)) {
    if (only && name !== only) continue;
    const started = Date.now();
    try {
      await test(browser, hub);
      console.log(`ok ${name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed += 1;
      console.log(`FAILED ${name}: ${e.stack || e}`);
      console.log(`hub log: ${hub.log}`);
    }
  }
} finally {
  await browser.close();
  await stopHub(hub);
}
process.exit(failed ? 1 : 0);
