// Writes packages/kernels/src/wasm/matMul.wat and matMulRelaxed.wat: C = A · B for row-major
// float32 A [M, K], B [K, N], C [M, N], N a multiple of 4. Register-blocked micro-kernels: 4 rows by
// 8 columns (8 accumulators, two B vectors, one broadcast A value: 11 of the 16 SIMD registers V8
// gives wasm on x86-64), and 4x4, 1x8, 1x4 for the edges, on A packed in 4-row blocks ([K][4]) and
// B packed a column panel at a time ([K][8], contiguous: B's own rows are N apart, and at N = 1024
// every k of a panel fell in the same L1 cache set). The two files differ only in the
// multiply-add: f32x4.mul then f32x4.add (plain SIMD), or f32x4.relaxed_madd (relaxed SIMD: a fused
// multiply-add where the CPU has one). Run: node tools/scripts/gen-matmul-wat.mjs, then build:wasm.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const madds = {
  plain: (x, b, acc) => `(f32x4.add (local.get ${acc}) (f32x4.mul (local.get ${x}) (local.get ${b})))`,
  relaxed: (x, b, acc) => `(f32x4.relaxed_madd (local.get ${x}) (local.get ${b}) (local.get ${acc}))`,
};

/**
 * A micro-kernel: `rows` rows of C by 4·`vecs` columns. With 4 rows it reads A packed (`$a` at the
 * row block's [K][4] panel: the four rows' values at k side by side); with 1 row, A's row itself.
 */
function microKernel(rows, vecs, madd) {
  const acc = (r, v) => `$c${r}${v}`;
  const lines = [`  (func $k${rows}x${vecs * 4} (param $a i32) (param $b i32) (param $c i32) (param $K i32) (param $N i32) (param $ldb i32)`];
  lines.push('    (local $ap i32) (local $end i32) (local $bp i32) (local $nb i32) (local $bstep i32) (local $x v128)');
  for (let v = 0; v < vecs; v++) lines.push(`    (local $b${v} v128)`);
  for (let r = 0; r < rows; r++) for (let v = 0; v < vecs; v++) lines.push(`    (local ${acc(r, v)} v128)`);
  lines.push('    (local.set $nb (i32.shl (local.get $N) (i32.const 2)))');
  lines.push('    (local.set $bstep (i32.shl (local.get $ldb) (i32.const 2)))');
  lines.push(`    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $K) (i32.const ${rows === 4 ? 4 : 2}))))`);
  lines.push('    (local.set $ap (local.get $a))');
  lines.push('    (local.set $bp (local.get $b))');
  lines.push('    (block $done (loop $k');
  lines.push('      (br_if $done (i32.ge_u (local.get $ap) (local.get $end)))');
  for (let v = 0; v < vecs; v++) lines.push(`      (local.set $b${v} (v128.load offset=${16 * v} (local.get $bp)))`);
  for (let r = 0; r < rows; r++) {
    lines.push(`      (local.set $x (v128.load32_splat offset=${4 * r} (local.get $ap)))`);
    for (let v = 0; v < vecs; v++) lines.push(`      (local.set ${acc(r, v)} ${madd('$x', `$b${v}`, acc(r, v))})`);
  }
  lines.push('      (local.set $bp (i32.add (local.get $bp) (local.get $bstep)))');
  lines.push(`      (local.set $ap (i32.add (local.get $ap) (i32.const ${rows === 4 ? 16 : 4})))`);
  lines.push('      (br $k)))');
  for (let r = 0; r < rows; r++) {
    const row = r === 0 ? '(local.get $c)' : `(i32.add (local.get $c) (i32.mul (local.get $nb) (i32.const ${r})))`;
    for (let v = 0; v < vecs; v++) lines.push(`    (v128.store offset=${16 * v} ${row} (local.get ${acc(r, v)}))`);
  }
  lines.push('  )');
  return lines.join('\n');
}

/** The driver: column panels of 8 (then 4), each packed contiguous ([K][8]) at $q, then down the rows in blocks of 4 (then 1). */
function panel(width) {
  const k4 = `$k4x${width}`;
  const k1 = `$k1x${width}`;
  return `      (call $packB (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))) (local.get $q) (local.get $K) (local.get $N) (i32.const ${width}))
      (local.set $i (i32.const 0))
      (block $idone (loop $il
        (br_if $idone (i32.ge_u (local.get $i) (local.get $m4)))
        (call ${k4} (i32.add (local.get $p) (i32.mul (local.get $i) (local.get $kb))) (local.get $q)
          (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $nb)) (i32.shl (local.get $j) (i32.const 2)))) (local.get $K) (local.get $N) (i32.const ${width}))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $il)))
      (block $rdone (loop $rl
        (br_if $rdone (i32.ge_u (local.get $i) (local.get $M)))
        (call ${k1} (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $kb))) (local.get $q)
          (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $nb)) (i32.shl (local.get $j) (i32.const 2)))) (local.get $K) (local.get $N) (i32.const ${width}))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rl)))`;
}

const driver = `  (func (export "matmul") (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $K i32) (param $N i32) (param $p i32)
    (local $i i32) (local $j i32) (local $m4 i32) (local $n8 i32) (local $kb i32) (local $nb i32) (local $q i32)
    (local.set $kb (i32.shl (local.get $K) (i32.const 2)))
    (local.set $nb (i32.shl (local.get $N) (i32.const 2)))
    (local.set $m4 (i32.and (local.get $M) (i32.const -4)))
    (local.set $n8 (i32.and (local.get $N) (i32.const -8)))
    (call $pack (local.get $a) (local.get $p) (local.get $m4) (local.get $K))
    (local.set $q (i32.add (local.get $p) (i32.mul (local.get $m4) (local.get $kb))))
    (local.set $j (i32.const 0))
    (block $jdone (loop $jl
      (br_if $jdone (i32.ge_u (local.get $j) (local.get $n8)))
${panel(8)}
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $jl)))
    (if (i32.lt_u (local.get $n8) (local.get $N)) (then
${panel(4)}))
  )`;

/** B's columns j.. j + width (4 or 8) packed contiguous: [K][width]. */
const packB = `  (func $packB (param $b i32) (param $q i32) (param $K i32) (param $N i32) (param $width i32)
    (local $k i32) (local $nb i32)
    (local.set $nb (i32.shl (local.get $N) (i32.const 2)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $k) (local.get $K)))
      (v128.store (local.get $q) (v128.load (local.get $b)))
      (if (i32.eq (local.get $width) (i32.const 8)) (then
        (v128.store offset=16 (local.get $q) (v128.load offset=16 (local.get $b)))))
      (local.set $q (i32.add (local.get $q) (i32.shl (local.get $width) (i32.const 2))))
      (local.set $b (i32.add (local.get $b) (local.get $nb)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l)))
  )`;

/** A's full row blocks packed: for each block of 4 rows, [K][4] (the rows' values at k side by side). */
const pack = `  (func $pack (param $a i32) (param $p i32) (param $m4 i32) (param $K i32)
    (local $i i32) (local $k i32) (local $src i32) (local $kb i32)
    (local.set $kb (i32.shl (local.get $K) (i32.const 2)))
    (block $idone (loop $il
      (br_if $idone (i32.ge_u (local.get $i) (local.get $m4)))
      (local.set $src (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $kb))))
      (local.set $k (i32.const 0))
      (block $kdone (loop $kl
        (br_if $kdone (i32.ge_u (local.get $k) (local.get $K)))
        (f32.store offset=0 (local.get $p) (f32.load (local.get $src)))
        (f32.store offset=4 (local.get $p) (f32.load (i32.add (local.get $src) (local.get $kb))))
        (f32.store offset=8 (local.get $p) (f32.load (i32.add (local.get $src) (i32.shl (local.get $kb) (i32.const 1)))))
        (f32.store offset=12 (local.get $p) (f32.load (i32.add (local.get $src) (i32.mul (local.get $kb) (i32.const 3)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $il)))
  )`;

/** A scalar 2-D transpose, for the transposed operands: out [cols, rows] of x [rows, cols]. */
const transpose = `  (func (export "transpose") (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $q i32)
    (block $rdone (loop $rl
      (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $q (i32.const 0))
      (block $qdone (loop $ql
        (br_if $qdone (i32.ge_u (local.get $q) (local.get $cols)))
        (f32.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $q) (local.get $rows)) (local.get $r)) (i32.const 2)))
          (f32.load (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $q)) (i32.const 2)))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $ql)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl)))
  )`;

export function matMulWat(kind) {
  const madd = madds[kind];
  return [
    `;; Generated by tools/scripts/gen-matmul-wat.mjs (${kind} SIMD): do not edit.`,
    '(module',
    '  (import "env" "memory" (memory 1))',
    microKernel(4, 2, madd),
    microKernel(4, 1, madd),
    microKernel(1, 2, madd),
    microKernel(1, 1, madd),
    pack,
    packB,
    driver,
    transpose,
    ')',
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = join(fileURLToPath(new URL('../..', import.meta.url)), 'packages/kernels/src/wasm');
  writeFileSync(join(dir, 'matMul.wat'), matMulWat('plain'));
  writeFileSync(join(dir, 'matMulRelaxed.wat'), matMulWat('relaxed'));
  console.log(`wrote ${dir}/matMul.wat and matMulRelaxed.wat`);
}
