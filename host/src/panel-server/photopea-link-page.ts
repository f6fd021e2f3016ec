import { PHOTOPEA_PANEL } from './photopea-config';

/** What the link page needs: the link itself and the panel address it checks in a frame. */
export interface LinkPageInput {
  readonly link: string;
  /** This host as the browser reaches it, e.g. "http://localhost:7860". */
  readonly baseUrl: string;
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * The page behind /photopea/link in a browser: the link, what Chrome will ask when Photopea shows
 * a panel from this computer, a check that the panel loads in a frame (assets/link-check.js), and
 * the HTTPS route for a host on another machine. curl gets the bare link instead.
 */
export function photopeaLinkPage({ link, baseUrl }: LinkPageInput): string {
  const local = /^http:\/\/(localhost|127\.|\[::1\]|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/i.test(baseUrl);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>fluxir in Photopea</title>
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml" />
<link rel="stylesheet" href="/assets/panel.css" />
<script defer src="/assets/link-check.js"></script>
</head>
<body class="link-page">
<main class="panel">
<h1>fluxir in Photopea</h1>
<p><a class="button primary" id="photopea-link" href="${escape(link)}" target="_blank" rel="noopener">Open Photopea with fluxir</a></p>
<p class="hint">Bookmark that link to keep it. Photopea opens with <strong>fluxir</strong> in its right-hand bar.</p>
<section aria-labelledby="lna-title">
<h2 id="lna-title">Chrome asks to allow the local network</h2>
<p>The fluxir panel is a page of this host (<code>${escape(baseUrl)}</code>)${local ? ', on this computer or your local network' : ''}, shown inside
Photopea, an https site. Chrome 142 and later ask first: <q>www.photopea.com wants to look for and connect to any device on your
local network</q>. Choose <strong>Allow</strong>. If you chose Block, the panel stays blank: in Photopea’s tab, click the site
settings icon left of the address, set <strong>Local network access</strong> to Allow, and reload Photopea.</p>
</section>
<section aria-labelledby="check-title">
<h2 id="check-title">Panel check</h2>
<p id="panel-check" role="status" data-state="checking">Loading the panel in a frame…</p>
<iframe id="panel-probe" title="fluxir panel (check)" src="/photopea?check" width="${PHOTOPEA_PANEL.width}" height="160" tabindex="-1"></iframe>
</section>
<section aria-labelledby="remote-title">
<h2 id="remote-title">A host on another machine</h2>
<p>Serve it over HTTPS: put a reverse proxy with a TLS certificate in front of it (it must pass WebSockets on), for
example <code>caddy reverse-proxy --from fluxir.example.org --to 127.0.0.1:7860</code>, and start the host with
<code>FLUXIR_PUBLIC_URL=https://fluxir.example.org</code> so this link points there. <code>fluxir serve</code> itself
speaks plain HTTP.</p>
</section>
</main>
</body>
</html>
`;
}
