;; LayerNorm over the last axis without weight and bias (the official `layernorm_nonparam`), and its
;; gradient, in WebAssembly SIMD (f32x4), in place on the wasm backend's heap (the memory is imported;
;; the module has no data of its own). Built into layerNormWasm.ts by tools/scripts/build-wasm.mjs;
;; the caller checks C % 4 == 0. Pointers are byte offsets.
;;   forward, per row x of C:  μ = Σx/C, r = 1/√(Σ(x − μ)²/C + eps), y = (x − μ)·r; keeps r
;;   backward:                 dx = r·(dy − Σdy/C − y·Σ(dy·y)/C)
(module
  (import "env" "memory" (memory 1))

  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  (func (export "forward")
    (param $x i32) (param $y i32) (param $rstd i32) (param $rows i32) (param $c i32) (param $eps f32)
    (local $rowBytes i32) (local $j i32) (local $acc v128) (local $v v128) (local $mean v128)
    (local $r f32) (local $rv v128) (local $invC f32)
    (local.set $rowBytes (i32.shl (local.get $c) (i32.const 2)))
    (local.set $invC (f32.div (f32.const 1) (f32.convert_i32_u (local.get $c))))
    (block $done
      (loop $row
        (br_if $done (i32.eqz (local.get $rows)))
        ;; μ
        (local.set $acc (f32x4.splat (f32.const 0)))
        (local.set $j (i32.const 0))
        (block $sumDone
          (loop $sum
            (br_if $sumDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (local.set $acc (f32x4.add (local.get $acc) (v128.load (i32.add (local.get $x) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $sum)))
        (local.set $mean (f32x4.splat (f32.mul (call $hsum (local.get $acc)) (local.get $invC))))
        ;; Σ(x − μ)²
        (local.set $acc (f32x4.splat (f32.const 0)))
        (local.set $j (i32.const 0))
        (block $varDone
          (loop $var
            (br_if $varDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (local.set $v (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $j))) (local.get $mean)))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $v) (local.get $v))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $var)))
        (local.set $r (f32.div (f32.const 1)
          (f32.sqrt (f32.add (f32.mul (call $hsum (local.get $acc)) (local.get $invC)) (local.get $eps)))))
        (f32.store (local.get $rstd) (local.get $r))
        (local.set $rv (f32x4.splat (local.get $r)))
        ;; y
        (local.set $j (i32.const 0))
        (block $outDone
          (loop $out
            (br_if $outDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (v128.store (i32.add (local.get $y) (local.get $j))
              (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $j))) (local.get $mean)) (local.get $rv)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $out)))
        (local.set $x (i32.add (local.get $x) (local.get $rowBytes)))
        (local.set $y (i32.add (local.get $y) (local.get $rowBytes)))
        (local.set $rstd (i32.add (local.get $rstd) (i32.const 4)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  (func (export "backward")
    (param $dy i32) (param $y i32) (param $rstd i32) (param $dx i32) (param $rows i32) (param $c i32)
    (local $rowBytes i32) (local $j i32) (local $a v128) (local $b v128) (local $g v128)
    (local $meanDy v128) (local $meanDyY v128) (local $rv v128) (local $invC f32)
    (local.set $rowBytes (i32.shl (local.get $c) (i32.const 2)))
    (local.set $invC (f32.div (f32.const 1) (f32.convert_i32_u (local.get $c))))
    (block $done
      (loop $row
        (br_if $done (i32.eqz (local.get $rows)))
        ;; Σdy, Σdy·y
        (local.set $a (f32x4.splat (f32.const 0)))
        (local.set $b (f32x4.splat (f32.const 0)))
        (local.set $j (i32.const 0))
        (block $sumDone
          (loop $sum
            (br_if $sumDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (local.set $g (v128.load (i32.add (local.get $dy) (local.get $j))))
            (local.set $a (f32x4.add (local.get $a) (local.get $g)))
            (local.set $b (f32x4.add (local.get $b) (f32x4.mul (local.get $g) (v128.load (i32.add (local.get $y) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $sum)))
        (local.set $meanDy (f32x4.splat (f32.mul (call $hsum (local.get $a)) (local.get $invC))))
        (local.set $meanDyY (f32x4.splat (f32.mul (call $hsum (local.get $b)) (local.get $invC))))
        (local.set $rv (f32x4.splat (f32.load (local.get $rstd))))
        (local.set $j (i32.const 0))
        (block $outDone
          (loop $out
            (br_if $outDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (v128.store (i32.add (local.get $dx) (local.get $j))
              (f32x4.mul (local.get $rv)
                (f32x4.sub
                  (f32x4.sub (v128.load (i32.add (local.get $dy) (local.get $j))) (local.get $meanDy))
                  (f32x4.mul (v128.load (i32.add (local.get $y) (local.get $j))) (local.get $meanDyY)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $out)))
        (local.set $dy (i32.add (local.get $dy) (local.get $rowBytes)))
        (local.set $y (i32.add (local.get $y) (local.get $rowBytes)))
        (local.set $dx (i32.add (local.get $dx) (local.get $rowBytes)))
        (local.set $rstd (i32.add (local.get $rstd) (i32.const 4)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row)))))
