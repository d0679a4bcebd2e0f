// Verify a ledger entry's inclusion proof in the browser, trusting nothing the server computed:
// RFC 9162 leaf and node hashes, the inclusion walk of docs/ledger.md section 3, the C2SP
// checkpoint's Ed25519 signature and each witness's cosignature, all with Web Crypto.
"use strict";

(function () {
  const dataNode = document.getElementById("proof-data");
  const button = document.getElementById("verify-button");
  if (!dataNode || !button) {
    return;
  }
  const data = JSON.parse(dataNode.textContent);
  const stepsList = document.getElementById("browser-steps");
  const result = document.getElementById("browser-result");
  const entryText = document.getElementById("entry-text");

  function fromBase64(text) {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  }

  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  function same(a, b) {
    return a.length === b.length && a.every((value, i) => value === b[i]);
  }

  async function sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  }

  const leafHash = (bytes) => sha256(concat(new Uint8Array([0]), bytes));
  const nodeHash = (left, right) => sha256(concat(new Uint8Array([1]), left, right));

  async function rootFromInclusion(index, size, leaf, proof) {
    if (!(index >= 0 && index < size)) {
      throw new Error("the leaf index lies outside the tree");
    }
    let fn = index;
    let sn = size - 1;
    let r = leaf;
    for (const p of proof) {
      if (p.length !== 32) {
        throw new Error("a proof element is not 32 bytes");
      }
      if (sn === 0) {
        throw new Error("the proof is too long");
      }
      if (fn % 2 === 1 || fn === sn) {
        r = await nodeHash(p, r);
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      } else {
        r = await nodeHash(r, p);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    if (sn !== 0) {
      throw new Error("the proof is too short");
    }
    return r;
  }

  function parseCheckpoint(note) {
    const cut = note.lastIndexOf("\n\n");
    const body = note.slice(0, cut + 1);
    const [origin, size, root] = body.split("\n");
    const signatures = note
      .slice(cut + 2)
      .split("\n")
      .filter((line) => line.startsWith("\u2014 "))
      .map((line) => {
        const [name, encoded] = line.slice(2).split(" ");
        return { name, raw: fromBase64(encoded) };
      });
    return { body, origin, size: Number(size), root: fromBase64(root), signatures };
  }

  async function ledgerSignatureValid(checkpoint, keyB64) {
    const key = fromBase64(keyB64);
    const line = checkpoint.signatures.find((s) => s.name === checkpoint.origin);
    if (!line) {
      return false;
    }
    const name = new TextEncoder().encode(checkpoint.origin);
    const expectedId = (await sha256(concat(name, new Uint8Array([0x0a, 0x01]), key))).slice(0, 4);
    if (!same(line.raw.slice(0, 4), expectedId)) {
      return false;
    }
    let publicKey;
    try {
      publicKey = await crypto.subtle.importKey("raw", key, { name: "Ed25519" }, false, ["verify"]);
    } catch (unsupported) {
      return null;
    }
    const body = new TextEncoder().encode(checkpoint.body);
    return crypto.subtle.verify({ name: "Ed25519" }, publicKey, line.raw.slice(4), body);
  }

  async function cosignatureValid(checkpoint, name, keyB64) {
    // C2SP tlog-cosignature v1: key ID with type 0x04, then an 8-byte timestamp and the signature.
    const key = fromBase64(keyB64);
    const line = checkpoint.signatures.find((s) => s.name === name);
    if (!line || line.raw.length !== 4 + 8 + 64) {
      return false;
    }
    const label = new TextEncoder().encode(name);
    const expectedId = (await sha256(concat(label, new Uint8Array([0x0a, 0x04]), key))).slice(0, 4);
    if (!same(line.raw.slice(0, 4), expectedId)) {
      return false;
    }
    const time = new DataView(line.raw.buffer, line.raw.byteOffset + 4, 8).getBigUint64(0);
    const message = new TextEncoder().encode("cosignature/v1\ntime " + time + "\n" + checkpoint.body);
    let publicKey;
    try {
      publicKey = await crypto.subtle.importKey("raw", key, { name: "Ed25519" }, false, ["verify"]);
    } catch (unsupported) {
      return null;
    }
    return crypto.subtle.verify({ name: "Ed25519" }, publicKey, line.raw.slice(12), message);
  }

  function report(text, passed) {
    const item = document.createElement("li");
    const mark = document.createElement("span");
    mark.className = "level " + (passed === null ? "neutral" : passed ? "agree" : "differ");
    mark.textContent = passed === null ? "not checked" : passed ? "passed" : "failed";
    item.append(mark, " " + text);
    stepsList.append(item);
    return passed !== false;
  }

  async function verify() {
    stepsList.replaceChildren();
    const entry = new TextEncoder().encode(entryText.value);
    const checkpoint = parseCheckpoint(data.checkpoint);
    const leaf = await leafHash(entry);
    let ok = report("The entry bytes hash to the receipt's leaf hash.", same(leaf, fromBase64(data.leaf_hash)));
    ok = report("The checkpoint's size is the receipt's tree size.", checkpoint.size === data.tree_size) && ok;
    let root = null;
    try {
      root = await rootFromInclusion(
        data.leaf_index, data.tree_size, leaf, data.inclusion_proof.map(fromBase64));
    } catch (error) {
      report("The inclusion proof is well formed: " + error.message + ".", false);
      ok = false;
    }
    if (root !== null) {
      ok = report("The root rebuilt from the entry and its proof equals the checkpoint's root.",
                  same(root, checkpoint.root)) && ok;
    }
    const signed = await ledgerSignatureValid(checkpoint, data.ledger_key);
    ok = report(signed === null
      ? "The ledger's Ed25519 signature (this browser's Web Crypto lacks Ed25519)."
      : "The ledger's Ed25519 signature on the checkpoint verifies.", signed) && ok;
    for (const [name, key] of Object.entries(data.witness_keys)) {
      if (checkpoint.signatures.some((s) => s.name === name)) {
        const cosigned = await cosignatureValid(checkpoint, name, key);
        ok = report("The cosignature of witness " + name + " verifies.", cosigned) && ok;
      }
    }
    result.className = "alert " + (ok ? "ok" : "error");
    result.textContent = ok
      ? "Verified in this browser: entry " + data.leaf_index + " is in the signed tree of size " + data.tree_size + "."
      : "Not verified in this browser: see the failed steps above.";
  }

  button.addEventListener("click", () => {
    verify().catch((error) => {
      result.className = "alert error";
      result.textContent = "Not verified in this browser: " + error.message;
    });
  });
  // The button is served disabled so that a press before this script ran cannot be lost.
  button.disabled = false;
})();
