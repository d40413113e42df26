;; The l2_norm_gelu Θ of Pattention and its gradient, fused, in WebAssembly SIMD (f32x4), working
;; in place on the wasm backend's own heap (the memory is imported; the module has no data of its
;; own and writes nothing but the outputs it is given). Built into l2NormGeluWasm.ts by
;; tools/scripts/build-wasm.mjs; the caller checks n % 4 == 0. All pointers are byte offsets.
;;
;;   forward, per row of n scores s:  inv = 1/‖s‖ (0 when ‖s‖ = 0), u = s·inv, z = τ·u,
;;     value = z·Φ(z), deriv = GeLU'(z) = Φ(z) + z·φ(z)
;;     with Φ(z) = 1 − ½·erfc(|z|/√2) (z ≥ 0) or ½·erfc(|z|/√2) (z < 0), erfc from Abramowitz &
;;     Stegun 7.1.26 (as tfjs's erf), whose exp(−z²/2) is also the pdf's: one exp per score.
;;   backward: g = dy·deriv, dx = (g − u·Σ g·u)·inv·τ
(module
  (import "env" "memory" (memory 1))

  ;; e^x for x ≤ 0, float32 accuracy: x clamped at −87.3 (float32's smallest normal scale; pmax is
  ;; one instruction where max's NaN rules cost several), k = round(x/ln2) by the 1.5·2^23 trick
  ;; (adding it leaves k in the low mantissa bits: no round or convert instructions), x = k·ln2 + r
  ;; with |r| ≤ ln2/2 (ln2 split in two for an exact k·ln2), e^r by its Taylor series to r^7
  ;; (relative error < 1e-8), 2^k built from its exponent bits.
  (func $exp (param $x v128) (result v128)
    (local $t v128) (local $k v128) (local $r v128) (local $p v128)
    (local.set $x (f32x4.pmax (local.get $x) (f32x4.splat (f32.const -87.3))))
    (local.set $t (f32x4.add (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504))) (f32x4.splat (f32.const 12582912))))
    (local.set $k (f32x4.sub (local.get $t) (f32x4.splat (f32.const 12582912))))
    (local.set $r (f32x4.sub
      (f32x4.sub (local.get $x) (f32x4.mul (local.get $k) (f32x4.splat (f32.const 0.693359375))))
      (f32x4.mul (local.get $k) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.splat (f32.const 1.98412698e-4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.38888889e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.33333333e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.16666667e-2))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.166666667))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.5))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1))))
    ;; 2^k: the bits of t less those of 1.5·2^23 are k; (k + 127) << 23 is 2^k
    (f32x4.mul (local.get $p)
      (i32x4.shl
        (i32x4.add (i32x4.sub (local.get $t) (i32x4.splat (i32.const 0x4b400000))) (i32x4.splat (i32.const 127)))
        (i32.const 23))))

  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  (func (export "forward")
    (param $s i32) (param $value i32) (param $u i32) (param $deriv i32) (param $inv i32)
    (param $rows i32) (param $n i32) (param $tau f32)
    (local $rowBytes i32) (local $j i32) (local $acc v128) (local $v v128) (local $norm f32)
    (local $iv f32) (local $ivv v128) (local $tauv v128) (local $z v128) (local $ax v128)
    (local $t v128) (local $e v128) (local $tail v128) (local $cdf v128)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $tauv (f32x4.splat (local.get $tau)))
    (block $done
      (loop $row
        (br_if $done (i32.eqz (local.get $rows)))
        ;; ‖s‖²
        (local.set $acc (f32x4.splat (f32.const 0)))
        (local.set $j (i32.const 0))
        (block $sumDone
          (loop $sum
            (br_if $sumDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (local.set $v (v128.load (i32.add (local.get $s) (local.get $j))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $v) (local.get $v))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $sum)))
        (local.set $norm (f32.sqrt (call $hsum (local.get $acc))))
        (local.set $iv (select (f32.div (f32.const 1) (local.get $norm)) (f32.const 0) (f32.gt (local.get $norm) (f32.const 0))))
        (f32.store (local.get $inv) (local.get $iv))
        (local.set $ivv (f32x4.splat (local.get $iv)))
        (local.set $j (i32.const 0))
        (block $elemDone
          (loop $elem
            (br_if $elemDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (local.set $v (f32x4.mul (v128.load (i32.add (local.get $s) (local.get $j))) (local.get $ivv)))
            (v128.store (i32.add (local.get $u) (local.get $j)) (local.get $v))
            (local.set $z (f32x4.mul (local.get $v) (local.get $tauv)))
            (local.set $ax (f32x4.mul (f32x4.abs (local.get $z)) (f32x4.splat (f32.const 0.707106781))))
            (local.set $t (f32x4.div (f32x4.splat (f32.const 1))
              (f32x4.add (f32x4.splat (f32.const 1)) (f32x4.mul (local.get $ax) (f32x4.splat (f32.const 0.3275911))))))
            (local.set $e (call $exp (f32x4.neg (f32x4.mul (local.get $ax) (local.get $ax)))))
            ;; ½·erfc(|z|/√2) = ½·t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·e
            (local.set $tail (f32x4.add (f32x4.splat (f32.const -1.453152027)) (f32x4.mul (local.get $t) (f32x4.splat (f32.const 1.061405429)))))
            (local.set $tail (f32x4.add (f32x4.splat (f32.const 1.421413741)) (f32x4.mul (local.get $t) (local.get $tail))))
            (local.set $tail (f32x4.add (f32x4.splat (f32.const -0.284496736)) (f32x4.mul (local.get $t) (local.get $tail))))
            (local.set $tail (f32x4.add (f32x4.splat (f32.const 0.254829592)) (f32x4.mul (local.get $t) (local.get $tail))))
            (local.set $tail (f32x4.mul (f32x4.mul (f32x4.splat (f32.const 0.5)) (local.get $t)) (f32x4.mul (local.get $tail) (local.get $e))))
            (local.set $cdf (v128.bitselect
              (local.get $tail)
              (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $tail))
              (f32x4.lt (local.get $z) (f32x4.splat (f32.const 0)))))
            (v128.store (i32.add (local.get $value) (local.get $j)) (f32x4.mul (local.get $z) (local.get $cdf)))
            (v128.store (i32.add (local.get $deriv) (local.get $j))
              (f32x4.add (local.get $cdf)
                (f32x4.mul (f32x4.mul (local.get $z) (local.get $e)) (f32x4.splat (f32.const 0.398942280)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $elem)))
        (local.set $s (i32.add (local.get $s) (local.get $rowBytes)))
        (local.set $value (i32.add (local.get $value) (local.get $rowBytes)))
        (local.set $u (i32.add (local.get $u) (local.get $rowBytes)))
        (local.set $deriv (i32.add (local.get $deriv) (local.get $rowBytes)))
        (local.set $inv (i32.add (local.get $inv) (i32.const 4)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  (func (export "backward")
    (param $dy i32) (param $u i32) (param $deriv i32) (param $inv i32) (param $dx i32)
    (param $rows i32) (param $n i32) (param $tau f32)
    (local $rowBytes i32) (local $j i32) (local $acc v128) (local $g v128) (local $dot v128) (local $scale v128)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $row
        (br_if $done (i32.eqz (local.get $rows)))
        ;; Σ g·u
        (local.set $acc (f32x4.splat (f32.const 0)))
        (local.set $j (i32.const 0))
        (block $sumDone
          (loop $sum
            (br_if $sumDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (local.set $g (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $j))) (v128.load (i32.add (local.get $deriv) (local.get $j)))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $g) (v128.load (i32.add (local.get $u) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $sum)))
        (local.set $dot (f32x4.splat (call $hsum (local.get $acc))))
        (local.set $scale (f32x4.splat (f32.mul (f32.load (local.get $inv)) (local.get $tau))))
        (local.set $j (i32.const 0))
        (block $elemDone
          (loop $elem
            (br_if $elemDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (local.set $g (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $j))) (v128.load (i32.add (local.get $deriv) (local.get $j)))))
            (v128.store (i32.add (local.get $dx) (local.get $j))
              (f32x4.mul
                (f32x4.sub (local.get $g) (f32x4.mul (v128.load (i32.add (local.get $u) (local.get $j))) (local.get $dot)))
                (local.get $scale)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $elem)))
        (local.set $dy (i32.add (local.get $dy) (local.get $rowBytes)))
        (local.set $u (i32.add (local.get $u) (local.get $rowBytes)))
        (local.set $deriv (i32.add (local.get $deriv) (local.get $rowBytes)))
        (local.set $dx (i32.add (local.get $dx) (local.get $rowBytes)))
        (local.set $inv (i32.add (local.get $inv) (i32.const 4)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row)))))
