;; The transpose of a row-major float32 [rows, cols] matrix into [cols, rows], in 4x4 blocks with
;; WebAssembly SIMD shuffles, in place on the wasm backend's heap (the memory is imported; no data
;; of its own). Built into transpose2dWasm.ts by tools/scripts/build-wasm.mjs; the caller checks that
;; rows and cols are multiples of 4. Pointers are byte offsets.
(module
  (import "env" "memory" (memory 1))

  (func (export "transpose") (param $in i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $inRowBytes i32) (local $outRowBytes i32)
    (local $src i32) (local $dst i32)
    (local $a v128) (local $b v128) (local $cc v128) (local $d v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $inRowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $outRowBytes (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $rowsDone
      (loop $rowBlock
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        ;; src: in[r][0], dst: out[0][r]
        (local.set $src (i32.add (local.get $in) (i32.mul (local.get $r) (local.get $inRowBytes))))
        (local.set $dst (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $c (i32.const 0))
        (block $colsDone
          (loop $colBlock
            (br_if $colsDone (i32.ge_u (local.get $c) (local.get $cols)))
            (local.set $a (v128.load (local.get $src)))
            (local.set $b (v128.load (i32.add (local.get $src) (local.get $inRowBytes))))
            (local.set $cc (v128.load (i32.add (local.get $src) (i32.shl (local.get $inRowBytes) (i32.const 1)))))
            (local.set $d (v128.load (i32.add (local.get $src) (i32.mul (local.get $inRowBytes) (i32.const 3)))))
            ;; t0 = a0 b0 a1 b1, t1 = a2 b2 a3 b3, t2 = c0 d0 c1 d1, t3 = c2 d2 c3 d3
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $cc) (local.get $d)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $cc) (local.get $d)))
            ;; columns c .. c+3 of the four rows: a_k b_k c_k d_k
            (v128.store (local.get $dst)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $dst) (local.get $outRowBytes))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $dst) (i32.shl (local.get $outRowBytes) (i32.const 1)))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (v128.store (i32.add (local.get $dst) (i32.mul (local.get $outRowBytes) (i32.const 3)))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $outRowBytes) (i32.const 2))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $colBlock)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rowBlock)))))
