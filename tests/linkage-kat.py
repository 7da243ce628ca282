# linkage-kat.py: the known answer of tests/test-linkage.c (/linkage/known-answer),
# computed independently of the C code from the description in src/core/vw-linkage.c.
# Run: python3 tests/linkage-kat.py
import hashlib, base64
key = bytes(range(32))
def sub(f): return hashlib.blake2b(b"veldwerk/linkage-bloom/1/"+f.encode(), key=key, digest_size=32).digest()
nk, dk = sub("name"), sub("date")
raw = bytearray(256)
def add(fk, tok, k):
    h = hashlib.blake2b(tok.encode(), key=fk, digest_size=64).digest()
    for i in range(k):
        pos = (h[2*i] | h[2*i+1] << 8) % 2048
        raw[pos//8] |= 1 << (pos % 8)
for part in ["mohamed", "amrani"]:
    p = "_" + part + "_"
    for i in range(len(p)-1): add(nk, "N"+p[i:i+2], 10)
y, m, d = 1985, 3, 12
add(dk, "Y%04d" % y, 28); add(dk, "YP%04d-%02d-%02d" % (y, min(d,m), max(d,m)), 28)
add(dk, "YM%04d-%02d" % (y, m), 20); add(dk, "P%02d-%02d" % (min(d,m), max(d,m)), 16)
add(dk, "D%02d" % d, 10); add(dk, "M%02d" % m, 10)
print(base64.b64encode(bytes(raw[i] ^ raw[i+128] for i in range(128))).decode())
