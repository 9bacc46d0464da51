// A real OpenID provider (the npm package oidc-provider) for the --dist-auth and jwt_validate tests.
//
//   node provider.mjs PORT AUDIENCE
//
// Issuer http://127.0.0.1:PORT. One public client, `sharpcache` (no secret, PKCE required), whose
// redirect URIs are sccache's loopback ones (http://localhost:{12731,32492,56909}/redirect). Access
// tokens for the resource AUDIENCE (the default resource when a request names none) are RS256 JWTs
// with aud = AUDIENCE, checkable through the provider's real JWKS (/jwks). The built-in development
// login and consent pages (devInteractions) accept any login and password. Prints "ready" when it
// listens. Lives next to OidcProviderServer.cs, which copies it into a temp folder beside
// a link to the node_modules that scripts/deps/oidc.sh installed.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

const [port, audience] = process.argv.slice(2);
if (!port || !audience) {
  console.error('usage: node provider.mjs PORT AUDIENCE');
  process.exit(2);
}

const issuer = `http://127.0.0.1:${port}`;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', use: 'sig', alg: 'RS256' };
const redirectUris = [12731, 32492, 56909].map((p) => `http://localhost:${p}/redirect`);

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'sharpcache',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: redirectUris,
    grant_types: ['authorization_code', 'implicit'],
    response_types: ['code', 'id_token token'],
  }],
  responseTypes: ['code', 'id_token token'],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: ['openid', 'dist'],
  async findAccount(ctx, sub) {
    return { accountId: sub, async claims() { return { sub }; } };
  },
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo(ctx, resource) {
        if (resource !== audience) {
          throw new errors.InvalidTarget();
        }
        return {
          scope: 'dist',
          audience,
          accessTokenTTL: 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
});

// sccache's implicit flow asks for the plain OAuth 2.0 `response_type=token`, which oidc-provider
// refuses (OAuth 2.1 drops it). The nearest it serves is the OpenID `id_token token`, whose
// fragment carries the same access_token, token_type, expires_in and state (plus an id_token,
// which the client ignores); it needs scope openid and a nonce, added here.
provider.use(async (ctx, next) => {
  if (ctx.path === '/auth' && ctx.method === 'GET' && ctx.query.response_type === 'token') {
    const query = { ...ctx.query, response_type: 'id_token token' };
    const scopes = new Set(String(query.scope ?? '').split(' ').filter(Boolean));
    scopes.add('openid');
    query.scope = [...scopes].join(' ');
    query.nonce ??= randomBytes(8).toString('hex');
    ctx.query = query;
  }
  await next();
});

provider.listen(Number(port), '127.0.0.1', () => console.log('ready'));
