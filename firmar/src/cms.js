// The member's credential and the PAdES CMS object, with node-forge.
//
// A credential is the SAT's e.firma (.cer DER + .key: encrypted PKCS#8 DER, PBES2 with des-ede3-cbc or AES) or a
// PKCS#12 file. Certificates are kept as their original DER bytes and read through forge's ASN.1 parser only:
// re-encoding a certificate would change the string types the SAT writes (x500UniqueIdentifier as a
// PrintableString) and with them its SHA-256, which the signing-certificate-v2 attribute and the registered
// fingerprint both bind.
//
// The CMS object is what `stl firmar` (pyHanko, PAdES baseline B-B) writes: SignedData with the signer's
// certificate and its intermediates (no root), signed attributes content-type, message-digest (SHA-256 of the
// byte ranges) and signing-certificate-v2 (ESSCertIDv2: SHA-256 of the certificate and issuer + serial), no
// signing-time (PAdES puts the time in the signature dictionary's /M), RSA PKCS#1 v1.5 with SHA-256.

import forge from "node-forge";

const { asn1, pki, pkcs12, util } = forge;
const T = asn1.Type;
const U = asn1.Class.UNIVERSAL;

const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  sha256: "2.16.840.1.101.3.4.2.1",
  rsaEncryption: "1.2.840.113549.1.1.1",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  basicConstraints: "2.5.29.19",
  uniqueIdentifier: "2.5.4.45",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
  sha256WithRSA: "1.2.840.113549.1.1.11",
  sha384WithRSA: "1.2.840.113549.1.1.12",
  sha512WithRSA: "1.2.840.113549.1.1.13",
};

export class CredentialError extends Error {}

export function bytesToBinary(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return s;
}

export function binaryToBytes(s) {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function sha256Hex(bytes) {
  const md = forge.md.sha256.create();
  md.update(bytesToBinary(bytes));
  return md.digest().toHex();
}

const seq = (v) => asn1.create(U, T.SEQUENCE, true, v);
const set = (v) => asn1.create(U, T.SET, true, v);
const oid = (o) => asn1.create(U, T.OID, false, asn1.oidToDer(o).getBytes());
const octets = (s) => asn1.create(U, T.OCTETSTRING, false, s);
const nul = () => asn1.create(U, T.NULL, false, "");
const int1 = () => asn1.create(U, T.INTEGER, false, String.fromCharCode(1));

function text(node) {
  const v = node.value;
  if (node.type === T.UTF8) return util.decodeUtf8(v);
  if (node.type === T.BMPSTRING) {
    let s = "";
    for (let i = 0; i + 1 < v.length; i += 2) s += String.fromCharCode((v.charCodeAt(i) << 8) | v.charCodeAt(i + 1));
    return s;
  }
  return v; // PrintableString, IA5String, TeletexString (Latin-1 in practice)
}

function nameAttributes(nameNode) {
  const out = new Map();
  for (const rdn of nameNode.value) {
    for (const atv of rdn.value) {
      const type = asn1.derToOid(atv.value[0].value);
      if (!out.has(type)) out.set(type, text(atv.value[1]));
    }
  }
  return out;
}

// A certificate as the page shows it and as the CMS object carries it.
export class Certificate {
  constructor(der) {
    this.der = der; // Uint8Array
    try {
      this.node = asn1.fromDer(bytesToBinary(der), { strict: true, parseAllBytes: true });
      const tbs = this.node.value[0];
      const off = tbs.value[0].tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
      this.serialNode = tbs.value[off];
      this.issuerNode = tbs.value[off + 2];
      this.validity = tbs.value[off + 3];
      this.subjectNode = tbs.value[off + 4];
      this.publicKey = pki.publicKeyFromAsn1(tbs.value[off + 5]);
      this.extensions = tbs.value.find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 3);
    } catch {
      throw new CredentialError("el archivo no es un certificado X.509 (se espera el .cer de la e.firma)");
    }
    this.subject = nameAttributes(this.subjectNode);
    this.issuer = nameAttributes(this.issuerNode);
  }

  get holder() {
    return this.subject.get(OID.commonName) || this.subject.get(OID.organization) || "";
  }

  get issuerName() {
    return this.issuer.get(OID.commonName) || this.issuer.get(OID.organization) || "";
  }

  get issuerDer() {
    return asn1.toDer(this.issuerNode).getBytes();
  }

  get subjectDer() {
    return asn1.toDer(this.subjectNode).getBytes();
  }

  get selfSigned() {
    return this.issuerDer === this.subjectDer;
  }

  // The SAT's «número de certificado»: the serial's bytes as ASCII when they are all digits, else hexadecimal.
  get number() {
    let v = this.serialNode.value;
    if (v.length > 1 && v.charCodeAt(0) === 0 && v.charCodeAt(1) & 0x80) v = v.slice(1);
    if (v && /^[0-9]+$/.test(v)) return v;
    return util.bytesToHex(v).toUpperCase();
  }

  get notAfter() {
    return asn1.generalizedTimeToDate !== undefined && this.validity.value[1].type === T.GENERALIZEDTIME
      ? asn1.generalizedTimeToDate(this.validity.value[1].value)
      : asn1.utcTimeToDate(this.validity.value[1].value);
  }

  get notBefore() {
    return this.validity.value[0].type === T.GENERALIZEDTIME
      ? asn1.generalizedTimeToDate(this.validity.value[0].value)
      : asn1.utcTimeToDate(this.validity.value[0].value);
  }

  // The SAT writes «RFC» in x500UniqueIdentifier, «RFC / RFC del representante» for a persona moral (a company).
  get rfcs() {
    const value = this.subject.get(OID.uniqueIdentifier) || "";
    return value.split("/").map((p) => p.trim().toUpperCase()).filter((p) => /^[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}$/.test(p));
  }

  // As pipeline/certificados.py `es_persona_moral`: an RFC and its representative's, or a company's RFC alone
  // (twelve characters, three letters; a person's has thirteen).
  get moral() {
    const rfcs = this.rfcs;
    return rfcs.length > 1 || rfcs[0]?.length === 12;
  }

  get sha256() {
    return sha256Hex(this.der);
  }

  asn1() {
    return asn1.fromDer(bytesToBinary(this.der));
  }
}

function sameKey(privateKey, publicKey) {
  return privateKey.n.equals(publicKey.n) && privateKey.e.equals(publicKey.e);
}

function decodeMaybePem(bytes, label) {
  const head = bytesToBinary(bytes.subarray(0, 64));
  if (!head.includes("-----BEGIN")) return bytesToBinary(bytes);
  const msg = forge.pem.decode(bytesToBinary(bytes)).find((m) => !label || m.type.includes(label));
  if (!msg) throw new CredentialError("el archivo PEM no tiene lo que se espera");
  return msg.body;
}

// The SAT's e.firma: the certificate and its encrypted private key.
export function efirma(cerBytes, keyBytes, password) {
  const cert = new Certificate(binaryToBytes(decodeMaybePem(cerBytes, "CERTIFICATE")));
  let info;
  try {
    const node = asn1.fromDer(decodeMaybePem(keyBytes, "PRIVATE KEY"), { strict: false });
    info = node.value.length === 2 ? pki.decryptPrivateKeyInfo(node, password) : node;
  } catch (e) {
    if (/unsupported|not supported/i.test(String(e.message))) {
      throw new CredentialError("la llave (.key) está cifrada con un algoritmo que esta página no lee");
    }
    info = null;
  }
  let key = null;
  try {
    key = info && pki.privateKeyFromAsn1(info);
  } catch {
    key = null;
  }
  if (!key) throw new CredentialError("la contraseña no abre la llave privada (.key): revise la contraseña de su e.firma");
  if (!sameKey(key, cert.publicKey)) {
    throw new CredentialError(
      `la llave privada (.key) no corresponde al certificado (.cer) de ${cert.holder}: elija la llave de ese certificado`,
    );
  }
  return { cert, key, chain: [], medium: "e.firma" };
}

// A PKCS#12 (.p12, .pfx): the key, its certificate and the chain it carries.
export function p12(bytes, password) {
  let store;
  const originals = new Map();
  const fromAsn1 = pki.certificateFromAsn1;
  pki.certificateFromAsn1 = (node, computeHash) => {
    const cert = fromAsn1(node, computeHash);
    originals.set(cert, binaryToBytes(asn1.toDer(node).getBytes()));
    return cert;
  };
  try {
    store = pkcs12.pkcs12FromAsn1(asn1.fromDer(bytesToBinary(bytes)), false, password);
  } catch (e) {
    if (/mac could not be verified|invalid password|decrypt/i.test(String(e.message))) {
      throw new CredentialError("la contraseña no abre el archivo .p12: revise la contraseña");
    }
    throw new CredentialError("no se pudo abrir el archivo .p12: contraseña incorrecta o archivo dañado");
  } finally {
    pki.certificateFromAsn1 = fromAsn1;
  }
  const bags = (type) => store.getBags({ bagType: type })[type] || [];
  const keyBag = [...bags(pki.oids.pkcs8ShroudedKeyBag), ...bags(pki.oids.keyBag)].find((b) => b.key);
  if (!keyBag) throw new CredentialError("el archivo .p12 no trae llave privada (o la contraseña no la abre)");
  const certs = bags(pki.oids.certBag)
    .map((b) => (b.cert && originals.get(b.cert)) || (b.asn1 && binaryToBytes(asn1.toDer(b.asn1).getBytes())))
    .filter(Boolean)
    .map((der) => new Certificate(der));
  const cert = certs.find((c) => sameKey(keyBag.key, c.publicKey));
  if (!cert) throw new CredentialError("el archivo .p12 no trae el certificado de su llave privada");
  return { cert, key: keyBag.key, chain: certs.filter((c) => c !== cert), medium: "PKCS#12" };
}

// The intermediates that lead from the certificate towards a root (never the root: verifiers hold it).
export function chainFor(cert, candidates) {
  const out = [];
  let current = cert;
  for (let i = 0; i < 8; i++) {
    const issuer = candidates.find((c) => c.subjectDer === current.issuerDer && !out.includes(c) && c !== current);
    if (!issuer || issuer.selfSigned) break;
    out.push(issuer);
    current = issuer;
  }
  return out;
}

function signedAttributes(digest, cert) {
  const certHash = forge.md.sha256.create();
  certHash.update(bytesToBinary(cert.der));
  const issuerSerial = seq([
    seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 4, true, [asn1.fromDer(cert.issuerDer)])]),
    asn1.create(U, T.INTEGER, false, cert.serialNode.value),
  ]);
  const attrs = [
    seq([oid(OID.contentType), set([oid(OID.data)])]),
    seq([oid(OID.messageDigest), set([octets(digest)])]),
    seq([oid(OID.signingCertificateV2), set([seq([seq([seq([octets(certHash.digest().getBytes()), issuerSerial])])])])]),
  ];
  // DER: a SET OF in the order of its elements' encodings.
  return attrs
    .map((a) => [asn1.toDer(a).getBytes(), a])
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .map((x) => x[1]);
}

// The DER CMS object for the SHA-256 `digest` (binary string) of the byte ranges.
export function signedData(credential, digest, chain) {
  const { cert, key } = credential;
  const attrs = signedAttributes(digest, cert);
  const md = forge.md.sha256.create();
  md.update(asn1.toDer(set(attrs)).getBytes());
  const signature = key.sign(md); // RSASSA-PKCS1-v1_5
  const algorithm = seq([oid(OID.sha256), nul()]);
  const signerInfo = seq([
    int1(),
    seq([asn1.fromDer(cert.issuerDer), asn1.create(U, T.INTEGER, false, cert.serialNode.value)]),
    algorithm,
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attrs),
    seq([oid(OID.rsaEncryption), nul()]),
    octets(signature),
  ]);
  const content = seq([
    int1(),
    set([seq([oid(OID.sha256), nul()])]),
    seq([oid(OID.data)]),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [cert, ...chain].map((c) => c.asn1())),
    set([signerInfo]),
  ]);
  const info = seq([oid(OID.signedData), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [content])]);
  return binaryToBytes(asn1.toDer(info).getBytes());
}

export function sha256Binary(parts) {
  const md = forge.md.sha256.create();
  for (const p of parts) md.update(bytesToBinary(p));
  return md.digest().getBytes();
}

const DIGESTS = { [OID.sha256]: "sha256", [OID.sha384]: "sha384", [OID.sha512]: "sha512" };
const PKCS1 = new Set([OID.rsaEncryption, OID.sha256WithRSA, OID.sha384WithRSA, OID.sha512WithRSA]);

// A CMS SignedData over `digest` (binary string): whether its message-digest attribute is that digest, and
// whether its RSA PKCS#1 v1.5 signature verifies with one of the certificates it carries (null: a key or
// scheme this page does not verify, e.g. ECDSA or PSS).
export function verifySignedData(cmsBytes, digest) {
  const failed = { digest: false, signature: false };
  let signed;
  try {
    const info = asn1.fromDer(bytesToBinary(cmsBytes), { strict: false, parseAllBytes: false });
    signed = info.value[1].value[0];
  } catch {
    return failed;
  }
  const context = (n, tag) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === tag;
  const signer = signed.value[signed.value.length - 1].value[0];
  const at = signer ? signer.value.findIndex((n) => context(n, 0)) : -1;
  if (at < 0 || signer.value.length < at + 3) return failed;
  const attrs = signer.value[at];
  let md = null;
  for (const attr of attrs.value) {
    if (asn1.derToOid(attr.value[0].value) === OID.messageDigest) md = attr.value[1].value[0].value;
  }
  if (md !== digest) return failed;
  const hash = DIGESTS[asn1.derToOid(signer.value[2].value[0].value)];
  const scheme = asn1.derToOid(signer.value[at + 1].value[0].value); // then [1] unsigned attributes, if any
  const signature = signer.value[at + 2].value;
  if (!hash || !PKCS1.has(scheme)) return { digest: true, signature: null };
  const h = forge.md[hash].create();
  h.update(asn1.toDer(set(attrs.value)).getBytes());
  const signedHash = h.digest().getBytes();
  let rsa = false;
  for (const node of (signed.value.find((n) => context(n, 0)) || { value: [] }).value) {
    let cert;
    try {
      cert = new Certificate(binaryToBytes(asn1.toDer(node).getBytes()));
    } catch {
      continue; // not an RSA certificate forge reads
    }
    rsa = true;
    try {
      if (cert.publicKey.verify(signedHash, signature)) return { digest: true, signature: true };
    } catch {
      // a signature of another length: not this certificate's
    }
  }
  return { digest: true, signature: rsa ? false : null };
}
