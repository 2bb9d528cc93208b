// An independent ActivityPub server for FedChat's interop tests, built on Fedify
// (https://fedify.dev), the TypeScript framework. It has one user, "fred", with an RSA key for HTTP
// signatures and an Ed25519 key for object integrity proofs (eddsa-jcs-2022), as Fedify recommends.
//
// FOR TESTS ONLY: it listens on 127.0.0.1, keeps everything in memory (MemoryKvStore), and allows
// fetching private addresses and plain http, which Fedify refuses by default (its SSRF guard).
//
// Start: `node peer.mjs` (PORT=0 picks a free port; FIRST_KNOCK=draft-cavage-http-signatures-12 makes it
// sign the first request with draft-cavage instead of RFC 9421). It prints "listening <port>" when ready.
// The tests drive it through a small JSON control API under /control (see the handlers at the end).
import http from "node:http";
import {
  createFederation, MemoryKvStore, generateCryptoKeyPair, getDocumentLoader, verifyObject,
  signObject, signRequest,
} from "@fedify/fedify";
import {
  Accept, Activity, Announce, Create, Delete, Endpoints, Follow, Like, Note, Person, PUBLIC_COLLECTION,
  Tombstone, Undo, Update,
} from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";

const USER = "fred";

// With PEER_DEBUG=1, print Fedify's own debug log (why a proof or signature was not accepted).
if (process.env.PEER_DEBUG) {
  const { configure, getConsoleSink } = await import("@logtape/logtape");
  await configure({ sinks: { console: getConsoleSink() }, loggers: [{ category: "fedify", lowestLevel: "debug", sinks: ["console"] }, { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] }] });
}

// With PEER_LOG_POSTS=1, print every activity the peer POSTs (to debug a refusal).
if (process.env.PEER_LOG_POSTS) {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    if (input instanceof Request && input.method === "POST") console.log("POST", input.url, await input.clone().text());
    return await realFetch(input, init);
  };
}
const firstKnock = process.env.FIRST_KNOCK || "rfc9421";

// Keys are made at start-up: every run of the peer is a new server.
const rsa = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
const ed25519 = await generateCryptoKeyPair("Ed25519");

const federation = createFederation({
  kv: new MemoryKvStore(),
  allowPrivateAddress: true, // test only: FedChat runs on 127.0.0.1
  firstKnock,
});

// A loader for our own checks (verifyObject below) with the same SSRF exception.
const documentLoader = getDocumentLoader({ allowPrivateAddress: true });

/** What arrived in fred's inbox and was accepted by Fedify, newest last. */
const received = [];
/** Fedify's own verdict on each accepted activity's proof: activity id → true/false. */
const proofs = {};
/** Inbox requests Fedify refused: status and reason. */
const refused = [];
/** What fred sent, by id, so that an Undo can embed the activity it takes back (as Mastodon expects). */
const sent = new Map();

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== USER) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Fred on Fedify",
      summary: "An independent ActivityPub server for FedChat's interop tests.",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((key) => key.multikey),
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => identifier === USER ? [rsa, ed25519] : []);

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Follow, async (ctx, follow) => {
    record(follow, { object: follow.objectId?.href });
    const follower = await follow.getActor(ctx);
    if (follower == null) return;
    // Fred accepts every follow at once.
    await ctx.sendActivity({ identifier: USER }, follower, new Accept({
      id: new URL(`${ctx.getActorUri(USER).href}/accepts/${crypto.randomUUID()}`),
      actor: ctx.getActorUri(USER),
      object: follow,
    }));
  })
  .on(Accept, async (_ctx, accept) => record(accept, { object: accept.objectId?.href }))
  .on(Create, async (_ctx, create) => {
    const note = await create.getObject();
    record(create, { object: note?.id?.href, content: note?.content?.toString(), inReplyTo: note?.replyTargetId?.href });
  })
  .on(Update, async (_ctx, update) => {
    const note = await update.getObject();
    record(update, { object: note?.id?.href, content: note?.content?.toString() });
  })
  .on(Delete, async (_ctx, del) => record(del, { object: del.objectId?.href }))
  .on(Like, async (_ctx, like) => record(like, { object: like.objectId?.href }))
  .on(Announce, async (_ctx, announce) => record(announce, { object: announce.objectId?.href }))
  .on(Undo, async (_ctx, undo) => {
    const inner = await undo.getObject();
    record(undo, { object: inner?.id?.href, innerType: inner?.constructor?.name });
  })
  .onError((_ctx, error) => console.error("inbox listener failed:", error));

function record(activity, extra) {
  received.push({
    type: activity.constructor.name,
    id: activity.id?.href,
    actor: activity.actorId?.href,
    ...extra,
  });
}

const server = http.createServer(async (req, res) => {
  try {
    const origin = `http://${req.headers.host}`;
    const url = new URL(req.url, origin);
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
    if (url.pathname.startsWith("/control/")) {
      const answer = await control(url, body ? JSON.parse(body.toString("utf8")) : {}, origin);
      return send(res, 200, JSON.stringify(answer), "application/json");
    }
    const request = new Request(url, { method: req.method, headers: toHeaders(req.headers), body });
    const response = await federation.fetch(request, { contextData: undefined });
    const text = Buffer.from(await response.arrayBuffer());
    if (req.method === "POST" && url.pathname.endsWith("inbox")) {
      await noteInboxVerdict(response.status, body, text, origin);
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(text);
  } catch (error) {
    console.error(error);
    send(res, 500, String(error?.stack ?? error), "text/plain");
  }
});

/** After Fedify answered an inbox POST: remember a refusal, or check the proof ourselves with Fedify's verifyObject. */
async function noteInboxVerdict(status, body, answer, origin) {
  let json;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    json = {};
  }
  if (status >= 300) {
    refused.push({ status, reason: answer.toString("utf8"), id: json.id });
    return;
  }
  const ctx = federation.createContext(new URL(origin), undefined);
  try {
    const verified = await verifyObject(Activity, json, { documentLoader, contextLoader: ctx.contextLoader });
    proofs[json.id] = verified != null;
  } catch (error) {
    proofs[json.id] = false;
    console.error("verifyObject failed", error);
  }
}

/** The control API the C# tests call. */
async function control(url, input, origin) {
  const ctx = federation.createContext(new URL(origin), undefined);
  const me = ctx.getActorUri(USER);
  switch (url.pathname) {
    case "/control/received":
      return { received, proofs, refused };
    case "/control/lookup":
      return describeActor(await lookUp(ctx, input.handle));
    case "/control/send":
      return await sendOne(ctx, me, input);
    case "/control/forge":
      return await forge(ctx, me, input);
    default:
      throw new Error(`unknown control ${url.pathname}`);
  }
}

/**
 * acct: lookups over plain http. Fedify's WebFinger client insists on https for acct: handles, so the
 * peer asks /.well-known/webfinger itself and then lets Fedify fetch and parse the actor.
 */
async function lookUp(ctx, handle) {
  if (handle.startsWith("http")) return await ctx.lookupObject(handle);
  const host = handle.replace(/^@/, "").split("@")[1];
  const answer = await fetch(`http://${host}/.well-known/webfinger?resource=${encodeURIComponent("acct:" + handle.replace(/^@/, ""))}`);
  if (!answer.ok) throw new Error(`WebFinger for ${handle} answered ${answer.status}`);
  const self = (await answer.json()).links.find((l) => l.rel === "self" && l.type?.includes("activity+json"));
  return await ctx.lookupObject(self.href);
}

async function describeActor(actor) {
  if (actor == null) return { found: false };
  const methods = [];
  for await (const method of actor.getAssertionMethods()) {
    methods.push({ id: method.id?.href, controller: method.controllerId?.href, algorithm: method.publicKey?.algorithm?.name });
  }
  const keys = [];
  for await (const key of actor.getPublicKeys()) {
    keys.push({ id: key.id?.href, owner: key.ownerId?.href, algorithm: key.publicKey?.algorithm?.name });
  }
  return {
    found: true,
    type: actor.constructor.name,
    id: actor.id?.href,
    preferredUsername: actor.preferredUsername?.toString(),
    name: actor.name?.toString(),
    inbox: actor.inboxId?.href,
    publicKeys: keys,
    assertionMethods: methods,
  };
}

/** Sends one activity from fred to one FedChat actor; Fedify signs the request and adds an Ed25519 proof. */
async function sendOne(ctx, me, input) {
  const recipient = await lookUp(ctx, input.to);
  const id = new URL(`${me.href}/activities/${crypto.randomUUID()}`);
  const noteId = input.noteId ? new URL(input.noteId) : new URL(`${me.href}/notes/${crypto.randomUUID()}`);
  const note = () => new Note({
    id: noteId,
    attribution: me,
    content: input.content ?? "Hello from Fedify",
    to: PUBLIC_COLLECTION,
    replyTarget: input.inReplyTo ? new URL(input.inReplyTo) : null,
    published: Temporal.Now.instant(),
  });
  const object = input.object ? new URL(input.object) : null;
  const activity = {
    Follow: () => new Follow({ id, actor: me, object: recipient.id }),
    Create: () => new Create({ id, actor: me, object: note(), to: PUBLIC_COLLECTION }),
    Update: () => new Update({ id, actor: me, object: note(), to: PUBLIC_COLLECTION }),
    Delete: () => new Delete({ id, actor: me, object: new Tombstone({ id: noteId }), to: PUBLIC_COLLECTION }),
    Like: () => new Like({ id, actor: me, object }),
    Announce: () => new Announce({ id, actor: me, object, to: PUBLIC_COLLECTION }),
    Undo: () => new Undo({ id, actor: me, object: sent.get(input.undo) }),
  }[input.type]();
  sent.set(id.href, activity);
  await ctx.sendActivity({ identifier: USER }, recipient, activity, { immediate: true });
  return { id: id.href, noteId: noteId.href };
}

/**
 * Forged requests, to see FedChat refuse them: "tampered" changes a Create after Fedify proved it
 * (the proof no longer matches); "impersonate" claims to be the FedChat user it is sent to, signed by fred.
 */
async function forge(ctx, me, input) {
  const recipient = await lookUp(ctx, input.to);
  const id = new URL(`${me.href}/activities/${crypto.randomUUID()}`);
  const actor = input.kind === "impersonate" ? recipient.id : me;
  const create = new Create({
    id, actor, to: PUBLIC_COLLECTION,
    object: new Note({ id: new URL(`${me.href}/notes/${crypto.randomUUID()}`), attribution: actor, content: "original words", to: PUBLIC_COLLECTION }),
  });
  const [rsaPair, edPair] = await ctx.getActorKeyPairs(USER);
  const signed = input.kind === "impersonate"
    ? create
    : await signObject(create, ed25519.privateKey, edPair.keyId, { contextLoader: ctx.contextLoader, documentLoader });
  const json = await signed.toJsonLd({ contextLoader: ctx.contextLoader, format: "compact" });
  if (input.kind === "tampered") json.object.content = "words fred never proved";
  const request = new Request(recipient.inboxId, {
    method: "POST",
    headers: { "Content-Type": "application/activity+json" },
    body: JSON.stringify(json),
  });
  const signedRequest = await signRequest(request, rsa.privateKey, rsaPair.keyId, { spec: firstKnock });
  const answer = await fetch(signedRequest);
  return { status: answer.status, body: await answer.text(), id: id.href };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function toHeaders(raw) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

function send(res, status, text, type) {
  res.writeHead(status, { "Content-Type": type });
  res.end(text);
}

server.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
  console.log(`listening ${server.address().port}`);
});
