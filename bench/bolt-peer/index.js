// The Bolt-js peer of pscale-bot for bench/run.sh: the same read jobs, written the way a team would write them by hand
// with Slack's own framework. It acks every slash command at once, calls the same PlanetScale sandbox over HTTP
// (`list`: every page of service tokens; `show-access`: the token's grants), and answers on the response_url with a
// code-block table. `whoami` is answered in the ack. No cache, no coalescing, no rate budget: a 429 from PlanetScale
// reaches the user as an error, as it would in such an app.
//
// Settings by environment: PORT, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL, PLANETSCALE_BASE_URL (…/v1),
// PLANETSCALE_TOKEN_ID, PLANETSCALE_TOKEN, PLANETSCALE_ORG.
const { App, HTTPReceiver } = require('@slack/bolt');

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is required (see bench/bolt-peer/index.js).`);
    process.exit(1);
  }
  return value;
};

const port = Number(env('PORT'));
const baseUrl = env('PLANETSCALE_BASE_URL').replace(/\/$/, '');
const authorization = `${env('PLANETSCALE_TOKEN_ID')}:${env('PLANETSCALE_TOKEN')}`;
const org = process.env.PLANETSCALE_ORG || 'acme';

const receiver = new HTTPReceiver({
  signingSecret: env('SLACK_SIGNING_SECRET'),
  endpoints: ['/slack/commands'],
  customRoutes: [{ path: '/readyz', method: ['GET'], handler: (req, res) => { res.writeHead(200); res.end('Healthy'); } }],
});

const app = new App({
  token: env('SLACK_BOT_TOKEN'),
  receiver,
  tokenVerificationEnabled: false,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});

class PlanetScaleError extends Error {}

async function get(path) {
  const response = await fetch(`${baseUrl}${path}`, { headers: { Authorization: authorization, Accept: 'application/json' } });
  const body = await response.text();
  if (!response.ok) {
    throw new PlanetScaleError(`PlanetScale answered ${response.status}: ${body.slice(0, 200)}`);
  }
  return JSON.parse(body);
}

async function everyPage(path) {
  const items = [];
  for (let page = 1; page; ) {
    const list = await get(`${path}${path.includes('?') ? '&' : '?'}page=${page}&per_page=100`);
    items.push(...list.data);
    page = list.next_page;
  }
  return items;
}

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells) => cells.map((c, i) => String(c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return '```\n' + [line(headers), ...rows.map(line)].join('\n') + '\n```';
}

function csv(headers, rows) {
  const cell = (c) => (/[",\n]/.test(String(c ?? '')) ? `"${String(c).replace(/"/g, '""')}"` : String(c ?? ''));
  return '```\n' + [headers, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n```';
}

async function list(format) {
  const tokens = await everyPage(`/organizations/${org}/service-tokens`);
  const headers = ['ID', 'NAME', 'EXPIRES', 'LAST USED'];
  const rows = tokens.map((t) => [t.id, t.name ?? '', t.expires_at ?? '', t.last_used_at ?? '']);
  return format === 'csv' ? csv(headers, rows) : table(headers, rows);
}

async function showAccess(tokenId) {
  const grants = await everyPage(`/organizations/${org}/service-tokens/${encodeURIComponent(tokenId)}/grants`);
  const rows = grants.map((g) => [g.resource_type === 'Organization' ? `organization ${org}` : g.resource_name,
    g.accesses.map((a) => a.access).join(', ')]);
  return rows.length === 0 ? `Token ${tokenId} has no access yet.` : table(['RESOURCE', 'PERMISSIONS'], rows);
}

app.command('/pscale', async ({ command, ack, respond }) => {
  const words = command.text.trim().split(/\s+/);
  if (words[0] === 'whoami') {
    await ack({ response_type: 'ephemeral', text: `You are <@${command.user_id}> (slack:user:${command.user_id}) in <#${command.channel_id}>.` });
    return;
  }

  await ack();
  const rest = words[0] === 'service-token' ? words.slice(1) : words;
  try {
    let text;
    if (rest[0] === 'list') {
      text = await list(rest.includes('csv') ? 'csv' : 'human');
    } else if (rest[0] === 'show-access' && rest[1]) {
      text = await showAccess(rest[1]);
    } else {
      text = 'Usage: `/pscale service-token list [--format csv]`, `/pscale service-token show-access <id>`, `/pscale whoami`.';
    }
    await respond({ response_type: 'ephemeral', text });
  } catch (error) {
    const reason = error instanceof PlanetScaleError ? error.message : `unexpected error: ${error.message}`;
    await respond({ response_type: 'ephemeral', text: `Sorry, that failed: ${reason}` });
  }
});

(async () => {
  await app.start(port);
  console.log(`Bolt peer listening on http://127.0.0.1:${port}/slack/commands`);
})();

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => app.stop().finally(() => process.exit(0)));
}
