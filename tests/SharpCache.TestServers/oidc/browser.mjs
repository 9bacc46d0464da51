// A scripted "browser" for the --dist-auth tests, run as $BROWSER with the authorize URL:
//
//   node browser.mjs URL
//
// It does what a person does in a browser: follows redirects (cookie jar per host), signs in on
// oidc-provider's development login page (any login/password), confirms the consent page, and
// lands on the client's loopback redirect. When that landing page has a script (the implicit flow
// hands the token over in the URL fragment), the script runs in a node:vm sandbox with the page's
// location and fetch, as a browser would run it. Modes (env BROWSER_MODE):
//   login (default)  sign in and consent
//   abort            cancel on the login page (the provider redirects with error=access_denied)
//   wrong-state      skip the provider, call the redirect URI with a code and a wrong state
// Exit 0 when the loopback page answered 2xx; messages go to stderr.
import vm from 'node:vm';

const mode = process.env.BROWSER_MODE ?? 'login';
const user = process.env.BROWSER_LOGIN ?? 'alice';
const start = process.argv[2];
if (!start) {
  console.error('browser.mjs: no URL');
  process.exit(2);
}

const jars = new Map(); // host -> Map(name -> value)
const log = (m) => console.error(`browser.mjs: ${m}`);

function cookieHeader(url) {
  const jar = jars.get(url.host);
  return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
}

function remember(url, response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    const jar = jars.get(url.host) ?? new Map();
    jars.set(url.host, jar);
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (/expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0/i.test(line)) jar.delete(name); else jar.set(name, value);
  }
}

// One request and its redirects; returns the final URL, response and body.
async function go(url, init = {}) {
  let target = new URL(url);
  let options = init;
  for (let hop = 0; hop < 20; hop++) {
    const headers = { ...(options.headers ?? {}), cookie: cookieHeader(target) };
    const response = await fetch(target, { ...options, headers, redirect: 'manual', signal: AbortSignal.timeout(10000) });
    remember(target, response);
    log(`${options.method ?? 'GET'} ${target.origin}${target.pathname} -> ${response.status}`);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, target);
      target = next;
      options = {};
      continue;
    }
    return { url: target, response, body: await response.text() };
  }
  throw new Error('too many redirects');
}

function form(body, pageUrl) {
  const match = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(body);
  if (!match) return null;
  const fields = new URLSearchParams();
  for (const input of match[2].matchAll(/<input([^>]*)>/gi)) {
    const name = /name="([^"]*)"/.exec(input[1])?.[1];
    if (!name) continue;
    const value = /value="([^"]*)"/.exec(input[1])?.[1];
    fields.set(name, value ?? (name === 'password' ? 'secret' : user));
  }
  return { action: new URL(match[1].replaceAll('&amp;', '&'), pageUrl), fields };
}

// What a browser does with the loopback page: run its inline script with location and fetch.
async function runScripts(page) {
  const scripts = [...page.body.matchAll(/<script>([\s\S]*?)<\/script>/gi)].map((m) => m[1]);
  if (scripts.length === 0) return true;
  let ok = true;
  const pending = [];
  const document = {
    body: { appendChild() {}, set textContent(t) { log(`page: ${String(t).trim()}`); } },
    createTextNode: (t) => { log(`page: ${String(t).trim()}`); return {}; },
    createElement: () => ({}),
    getElementById: () => ({ set textContent(t) { log(`page: ${String(t).trim()}`); } }),
  };
  const pageFetch = (u, init = {}) => {
    const p = fetch(new URL(u, page.url), { ...init, signal: AbortSignal.timeout(10000) }).then((r) => {
      if (!r.ok) ok = false;
      return r;
    });
    pending.push(p);
    return p;
  };
  const location = { href: page.url.href, hash: page.url.hash, search: page.url.search, origin: page.url.origin, pathname: page.url.pathname };
  const history = { replaceState() {} };
  const context = vm.createContext({ window: { location, history }, location, history, document, fetch: pageFetch, URLSearchParams, console });
  for (const script of scripts) vm.runInContext(script, context, { timeout: 1000 });
  for (let i = 0; i < pending.length; i++) await pending[i].catch(() => { ok = false; });
  await new Promise((r) => setTimeout(r, 50));
  return ok;
}

const redirectOrigin = new URL(new URL(start).searchParams.get('redirect_uri') ?? start).origin;
const isLoopback = (url) => url.origin === redirectOrigin;

try {
  let page;
  if (mode === 'wrong-state') {
    const auth = new URL(start);
    const redirect = new URL(auth.searchParams.get('redirect_uri'));
    redirect.searchParams.set('code', 'not-a-real-code');
    redirect.searchParams.set('state', 'not-the-state');
    page = await go(redirect);
  } else {
    page = await go(start);
    for (let step = 0; step < 5 && !isLoopback(page.url); step++) {
      if (mode === 'abort') {
        const abort = /href="([^"]*\/abort)"/.exec(page.body)?.[1];
        if (!abort) throw new Error(`no abort link on ${page.url}`);
        page = await go(new URL(abort, page.url));
        continue;
      }
      const f = form(page.body, page.url);
      if (!f) throw new Error(`no form on ${page.url} (HTTP ${page.response.status}): ${page.body.slice(0, 300)}`);
      page = await go(f.action, { method: 'POST', body: f.fields, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    }
  }
  if (!isLoopback(page.url)) throw new Error(`never reached the loopback redirect (at ${page.url})`);
  const ok = page.response.ok && await runScripts(page);
  log(`landed on ${page.url.origin}${page.url.pathname}: HTTP ${page.response.status}${ok ? '' : ' (failed)'}`);
  process.exit(ok ? 0 : 1);
} catch (e) {
  log(`error: ${e.message}`);
  process.exit(1);
}
