;; Hot loop of ckptscope's fused diff of an FP4 module (NVFP4, MXFP4) against its float weight:
;; decodes the packed E2M1 nibbles times the block scale, reads the float side (BF16 or F32) and
;; accumulates every figure of PairMetrics and of the nibble-swapped CosineAccumulator in one
;; pass (core/diff/wasm/pair-kernel.ts holds the rest; README.md there says how it stays exact).
;; Assembled by scripts/build-wasm.mjs (wabt) into diff-kernels.wasm.ts.
;;
;; Memory layout (exported as globals; the TS side reads them):
;;   STATE   0x000  the pair's running figures (pair-kernel.ts names every slot):
;;                  0x00 aa, 0x10 bb, 0x20 ab, 0x30 ee, 0x40 ab swapped: f64x2 sums of the current
;;                  group's vector sub-blocks; 0x50 max |e| (f64x2); 0x60 equal elements (i64x2
;;                  counts); 0x70..0xA0 the group's f64 sums of the other sub-blocks (aa, bb,
;;                  ab, ee, then the swapped reading's aa, bb, ab); 0xA8 elements into the group
;;                  (i32); 0xB0..0x118 (sum, carry) Neumaier pairs of the seven totals; 0x120 max
;;                  |e| of the other sub-blocks; 0x128 equal, 0x130 finite pairs, 0x138 NaN in x,
;;                  0x140 NaN in y, 0x148 Inf in x, 0x150 Inf in y, 0x158 y non-finite where x is
;;                  finite, 0x160 x non-finite where y is finite (f64 counts); fp4pair's window:
;;                  0x170 aa, 0x180 bb, 0x190 ab, 0x1A0 ee, 0x1B0 ab swapped (f32x4 sums), 0x1C0
;;                  max |e| (f32x4), 0x1D0 equal elements (i32x4 counts)
;;   LEVELS  0x200  the 16 E2M1 levels (f64), 0x280 the top byte of each level's f32 bits, 0x290
;;                  the byte below it (the other two bytes are zero for every E2M1 level)
;;   SCRATCH 0x300  a sub-block's 16 x (f64) and, at 0x380, its 16 y (the scalar path)
;;   TABLE   0x400  256 f64: fp4pair's combined scale (block scale with the global) of each scale
;;                  byte, or fp8pair's level of each FP8 byte
;;   SPLIT   0xC00  fp4pair's per scale byte: 256 f32 hi parts, 0x1000 256 f32 lo parts, 0x1400
;;                  256 bytes 1 when the vector path takes the scale (see $split)
;;   CONSTS  0x1500 the constant vectors of fp4pair, 0x1580 of plainpair, 0x1600 of fp8pair (each
;;                  writes its own on entry)
;;   (then, from slotBytes on: the read buffers pair-kernel.ts lays out)
(module
  (memory (export "memory") 1)
  (global (export "slotBytes") i32 (i32.const 0x1800))
  (global (export "state") i32 (i32.const 0x000))
  (global (export "levels") i32 (i32.const 0x200))
  (global (export "table") i32 (i32.const 0x400))

  ;; Elements per group: sums are plain within a group and compensated across groups, groups
  ;; aligned on the pair's element index (METRIC_GROUP in pair-metrics.ts).
  ;; 4096 = 256 sub-blocks of 16.

  ;; Adds x to the Neumaier pair (sum, carry) at byte $at, as CompensatedSum.add.
  (func $neumaier (param $at i32) (param $x f64)
    (local $s f64)
    (local $t f64)
    (local.set $s (f64.load (local.get $at)))
    (local.set $t (f64.add (local.get $s) (local.get $x)))
    (f64.store offset=8 (local.get $at)
      (f64.add (f64.load offset=8 (local.get $at))
        (if (result f64) (f64.ge (f64.abs (local.get $s)) (f64.abs (local.get $x)))
          (then (f64.add (f64.sub (local.get $s) (local.get $t)) (local.get $x)))
          (else (f64.add (f64.sub (local.get $x) (local.get $t)) (local.get $s))))))
    (f64.store (local.get $at) (local.get $t)))

  ;; lane 0 + lane 1 of the f64x2 at byte $at.
  (func $hsum (param $at i32) (result f64)
    (f64.add (f64.load (local.get $at)) (f64.load offset=8 (local.get $at))))

  ;; Ends a group: its sums (vector lanes, then the scalar sub-blocks') join the compensated
  ;; totals; the group's sums restart at zero. The swapped reading shares the whole-finite
  ;; sub-blocks' aa and bb (both readings are finite there) and has its own for the others.
  (func $fold
    (call $neumaier (i32.const 0xB0) (f64.add (call $hsum (i32.const 0x00)) (f64.load (i32.const 0x70))))
    (call $neumaier (i32.const 0xC0) (f64.add (call $hsum (i32.const 0x10)) (f64.load (i32.const 0x78))))
    (call $neumaier (i32.const 0xD0) (f64.add (call $hsum (i32.const 0x20)) (f64.load (i32.const 0x80))))
    (call $neumaier (i32.const 0xE0) (f64.add (call $hsum (i32.const 0x30)) (f64.load (i32.const 0x88))))
    (call $neumaier (i32.const 0xF0) (f64.add (call $hsum (i32.const 0x00)) (f64.load (i32.const 0x90))))
    (call $neumaier (i32.const 0x100) (f64.add (call $hsum (i32.const 0x10)) (f64.load (i32.const 0x98))))
    (call $neumaier (i32.const 0x110) (f64.add (call $hsum (i32.const 0x40)) (f64.load (i32.const 0xA0))))
    (v128.store (i32.const 0x00) (v128.const i64x2 0 0))
    (v128.store (i32.const 0x10) (v128.const i64x2 0 0))
    (v128.store (i32.const 0x20) (v128.const i64x2 0 0))
    (v128.store (i32.const 0x30) (v128.const i64x2 0 0))
    (v128.store (i32.const 0x40) (v128.const i64x2 0 0))
    (v128.store (i32.const 0x70) (v128.const i64x2 0 0))
    (v128.store (i32.const 0x80) (v128.const i64x2 0 0))
    (v128.store (i32.const 0x90) (v128.const i64x2 0 0))
    (f64.store (i32.const 0xA0) (f64.const 0)))

  ;; Adds 1 to the f64 count at byte $at.
  (func $bump (param $at i32)
    (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.const 1))))

  ;; $n (1 to 16) elements one by one (x at SCRATCH, y at SCRATCH + 0x80), exactly as
  ;; PairMetrics.run / nonFinite treat each pair, and with $swap as the nibble-swapped
  ;; CosineAccumulator.run does: for sub-blocks where some x or y is NaN or infinite (and the
  ;; plain kernel's last < 16 elements).
  (func $scalar (param $n i32) (param $swap i32)
    (local $k i32)
    (local $x f64)
    (local $y f64)
    (local $w f64)
    (local $e f64)
    (local $xf i32)
    (local $yf i32)
    (loop $each
      (local.set $x (f64.load offset=0x300 (i32.shl (local.get $k) (i32.const 3))))
      (local.set $y (f64.load offset=0x380 (i32.shl (local.get $k) (i32.const 3))))
      ;; the swapped reading: the other element of the same byte
      (local.set $w (f64.load offset=0x380 (i32.shl (i32.xor (local.get $k) (i32.const 1)) (i32.const 3))))
      (local.set $xf (f64.eq (f64.sub (local.get $x) (local.get $x)) (f64.const 0)))
      (local.set $yf (f64.eq (f64.sub (local.get $y) (local.get $y)) (f64.const 0)))
      (if (f64.eq (local.get $x) (local.get $y)) (then (call $bump (i32.const 0x128))))
      (if (i32.and (local.get $xf) (local.get $yf))
        (then
          (call $bump (i32.const 0x130))
          (local.set $e (f64.sub (local.get $x) (local.get $y)))
          (f64.store (i32.const 0x70) (f64.add (f64.load (i32.const 0x70)) (f64.mul (local.get $x) (local.get $x))))
          (f64.store (i32.const 0x78) (f64.add (f64.load (i32.const 0x78)) (f64.mul (local.get $y) (local.get $y))))
          (f64.store (i32.const 0x80) (f64.add (f64.load (i32.const 0x80)) (f64.mul (local.get $x) (local.get $y))))
          (f64.store (i32.const 0x88) (f64.add (f64.load (i32.const 0x88)) (f64.mul (local.get $e) (local.get $e))))
          (if (f64.gt (f64.abs (local.get $e)) (f64.load (i32.const 0x120)))
            (then (f64.store (i32.const 0x120) (f64.abs (local.get $e))))))
        (else
          (if (i32.eqz (local.get $xf))
            (then (call $bump (select (i32.const 0x138) (i32.const 0x148) (f64.ne (local.get $x) (local.get $x)))))
          )
          (if (i32.eqz (local.get $yf))
            (then
              (call $bump (select (i32.const 0x140) (i32.const 0x150) (f64.ne (local.get $y) (local.get $y))))
              (if (local.get $xf) (then (call $bump (i32.const 0x158))))))
          (if (i32.and (local.get $yf) (i32.eqz (local.get $xf)))
            (then (call $bump (i32.const 0x160))))
          (if (i32.and (f64.ne (local.get $x) (local.get $x)) (f64.ne (local.get $y) (local.get $y)))
            (then (call $bump (i32.const 0x128))))))
      (if (i32.and (i32.and (local.get $swap) (local.get $xf)) (f64.eq (f64.sub (local.get $w) (local.get $w)) (f64.const 0)))
        (then
          (f64.store (i32.const 0x90) (f64.add (f64.load (i32.const 0x90)) (f64.mul (local.get $x) (local.get $x))))
          (f64.store (i32.const 0x98) (f64.add (f64.load (i32.const 0x98)) (f64.mul (local.get $w) (local.get $w))))
          (f64.store (i32.const 0xA0) (f64.add (f64.load (i32.const 0xA0)) (f64.mul (local.get $x) (local.get $w))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $k) (local.get $n)))))

  ;; 16 float values (BF16 when $bf16, else F32) from byte $p, as f64, to byte $to (SCRATCH).
  (func $load16 (param $p i32) (param $bf16 i32) (param $to i32)
    (local $k i32)
    (loop $each
      (f64.store (i32.add (local.get $to) (i32.shl (local.get $k) (i32.const 3)))
        (if (result f64) (local.get $bf16)
          (then (f64.promote_f32 (f32.reinterpret_i32 (i32.shl
            (i32.load16_u (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 1))))
            (i32.const 16)))))
          (else (f64.promote_f32 (f32.load (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 2))))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $k) (i32.const 16)))))

  ;; The 16 FP4 values of the 8 bytes at $q (LEVELS times $s, as the JS decoder) to SCRATCH + 0x80;
  ;; element k is the high nibble of byte k/2 when k is odd, or even with $high.
  (func $fp4y (param $q i32) (param $s f64) (param $high i32)
    (local $k i32)
    (local $b i32)
    (loop $each
      (local.set $b (i32.load8_u (i32.add (local.get $q) (i32.shr_u (local.get $k) (i32.const 1)))))
      (f64.store offset=0x380 (i32.shl (local.get $k) (i32.const 3))
        (f64.mul
          (f64.load offset=0x200 (i32.shl
            (if (result i32) (i32.xor (i32.and (local.get $k) (i32.const 1)) (local.get $high))
              (then (i32.shr_u (local.get $b) (i32.const 4)))
              (else (i32.and (local.get $b) (i32.const 15))))
            (i32.const 3)))
          (local.get $s)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $k) (i32.const 16)))))

  ;; Folds the window's f32x4 sums (0x170..0x1B0) into the group's f64x2 sums (0x00..0x40) and
  ;; its i32x4 equal counts (0x1D0) into the i64x2 ones (0x60); the window restarts at zero.
  (func $fold32
    (v128.store (i32.const 0x0) (f64x2.add (v128.load (i32.const 0x0))
      (f64x2.add (f64x2.promote_low_f32x4 (v128.load (i32.const 0x170)))
        (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (v128.load (i32.const 0x170)) (v128.load (i32.const 0x170)))))))
    (v128.store (i32.const 0x10) (f64x2.add (v128.load (i32.const 0x10))
      (f64x2.add (f64x2.promote_low_f32x4 (v128.load (i32.const 0x180)))
        (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (v128.load (i32.const 0x180)) (v128.load (i32.const 0x180)))))))
    (v128.store (i32.const 0x20) (f64x2.add (v128.load (i32.const 0x20))
      (f64x2.add (f64x2.promote_low_f32x4 (v128.load (i32.const 0x190)))
        (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (v128.load (i32.const 0x190)) (v128.load (i32.const 0x190)))))))
    (v128.store (i32.const 0x30) (f64x2.add (v128.load (i32.const 0x30))
      (f64x2.add (f64x2.promote_low_f32x4 (v128.load (i32.const 0x1a0)))
        (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (v128.load (i32.const 0x1a0)) (v128.load (i32.const 0x1a0)))))))
    (v128.store (i32.const 0x40) (f64x2.add (v128.load (i32.const 0x40))
      (f64x2.add (f64x2.promote_low_f32x4 (v128.load (i32.const 0x1b0)))
        (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (v128.load (i32.const 0x1b0)) (v128.load (i32.const 0x1b0)))))))
    (v128.store (i32.const 0x60) (i64x2.add (v128.load (i32.const 0x60))
      (i64x2.add (i64x2.extend_low_i32x4_s (v128.load (i32.const 0x1D0))) (i64x2.extend_high_i32x4_s (v128.load (i32.const 0x1D0))))))
    (v128.store (i32.const 0x170) (v128.const i64x2 0 0))
    (v128.store (i32.const 0x180) (v128.const i64x2 0 0))
    (v128.store (i32.const 0x190) (v128.const i64x2 0 0))
    (v128.store (i32.const 0x1a0) (v128.const i64x2 0 0))
    (v128.store (i32.const 0x1b0) (v128.const i64x2 0 0))
    (v128.store (i32.const 0x1D0) (v128.const i64x2 0 0)))

  ;; For each scale byte, from its combined scale s in TABLE: s as hi + lo in f32 (SPLIT_HI,
  ;; SPLIT_LO), hi the top 21 significant bits of s (so level x hi, a level having at most 3, is
  ;; exact in f32) and lo the rest (exact when s has at most 28 bits, as an E4M3 byte times an
  ;; f32 global scale has); and whether fp4pair's vector path takes s (SPLIT_OK): 0 or within
  ;; [2^-60, 2^52], so that no f32 product or window sum can overflow.
  (func (export "split")
    (local $c i32)
    (local $s f64)
    (local $hi f64)
    (loop $each
      (local.set $s (f64.load offset=0x400 (i32.shl (local.get $c) (i32.const 3))))
      (local.set $hi (f64.reinterpret_i64 (i64.and (i64.reinterpret_f64 (local.get $s)) (i64.const 0xFFFFFFFF00000000))))
      (f32.store offset=0xC00 (i32.shl (local.get $c) (i32.const 2)) (f32.demote_f64 (local.get $hi)))
      (f32.store offset=0x1000 (i32.shl (local.get $c) (i32.const 2))
        (f32.demote_f64 (f64.sub (local.get $s) (local.get $hi))))
      (i32.store8 offset=0x1400 (local.get $c) (i32.and
        (f64.le (f64.abs (local.get $s)) (f64.const 0x1p52))
        (i32.or (f64.ge (f64.abs (local.get $s)) (f64.const 0x1p-60)) (f64.eq (local.get $s) (f64.const 0)))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $c) (i32.const 256)))))

    ;; The fused pass over $blocks FP4 blocks of $sub sub-blocks of 16 elements each:
  ;;   x   the float side, 16 elements per sub-block: BF16 ($bf16 = 1) or F32, from byte $x on
  ;;   q   the packed nibbles, 8 bytes per sub-block ($high = 1: the high nibble comes first)
  ;;   sc  one scale byte per block, its combined scale TABLE[byte]
  ;; Vector path (f32x4): the scale split in two f32 parts so that e = x - y is correctly rounded
  ;; (and 0 exactly when x = y), every product and sum in f32 within a window of 8 sub-blocks
  ;; (128 elements, 32 terms a lane), folded into the f64x2 group sums after each window
  ;; ($fold32): relative errors of ~1e-7 per term and ~2e-6 at worst per window sum, orders of
  ;; magnitude inside the 0.01 dB the diff promises. It takes a
  ;; sub-block whose x are all below 2^56 in magnitude (so no square or window sum can overflow
  ;; f32; NaN and infinities included) and whose scale is 0 or within [2^-60, 2^52]; any other
  ;; sub-block goes through $scalar in float64 with y exactly as the JS decoder gives it.
  (func (export "fp4pair") (param $x i32) (param $bf16 i32) (param $q i32) (param $sc i32)
      (param $blocks i32) (param $sub i32) (param $high i32)
    (local $pa v128) (local $pb v128) (local $pab v128) (local $pe v128) (local $psw v128) (local $mx v128) (local $eq v128) (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128) (local $e0 v128) (local $e1 v128) (local $e2 v128) (local $e3 v128) (local $hi v128) (local $lo v128) (local $c v128) (local $h v128) (local $l v128) (local $r0 v128) (local $r1 v128) (local $raw v128) (local $raw2 v128) (local $sv v128) (local $first v128) (local $second v128) (local $svlo v128) (local $lv v128) (local $t v128)
    (local $fill i32) (local $finite f64) (local $k i32) (local $ok i32) (local $oks i32) (local $c4 i32)
    (local.set $pa (v128.load (i32.const 0x170)))
    (local.set $pb (v128.load (i32.const 0x180)))
    (local.set $pab (v128.load (i32.const 0x190)))
    (local.set $pe (v128.load (i32.const 0x1a0)))
    (local.set $psw (v128.load (i32.const 0x1b0)))
    (local.set $mx (v128.load (i32.const 0x1C0)))
    (local.set $eq (v128.load (i32.const 0x1D0)))
    (local.set $fill (i32.load (i32.const 0xA8)))
    (local.set $hi (v128.load (i32.const 0x280)))
    (local.set $lo (v128.load (i32.const 0x290)))
    ;; the loop's constant vectors, read from memory (CONSTS): TurboFan rebuilds a v128.const
    ;; from two 64-bit immediates at every use, a load is one operand
    (v128.store (i32.const 0x1500) (v128.const i16x8 0x7f80 0x7f80 0x7f80 0x7f80 0x7f80 0x7f80 0x7f80 0x7f80))
    (v128.store (i32.const 0x1510) (v128.const i16x8 0x5b80 0x5b80 0x5b80 0x5b80 0x5b80 0x5b80 0x5b80 0x5b80))
    (v128.store (i32.const 0x1520) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))
    (v128.store (i32.const 0x1530) (v128.const i32x4 0x5b800000 0x5b800000 0x5b800000 0x5b800000))
    (v128.store (i32.const 0x1540) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (v128.store (i32.const 0x1550) (v128.const i8x16 128 128 0 1 128 128 2 3 128 128 4 5 128 128 6 7))
    (v128.store (i32.const 0x1560) (v128.const i8x16 128 128 8 9 128 128 10 11 128 128 12 13 128 128 14 15))
    (v128.store (i32.const 0x1570) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))
    (block $done
      (br_if $done (i32.eqz (local.get $blocks)))
      (loop $block
        ;; the block's scale as hi + lo in f32 and whether the vector path takes it ($split)
        (local.set $c4 (i32.shl (i32.load8_u (local.get $sc)) (i32.const 2)))
        (local.set $sv (v128.load32_splat offset=0xC00 (local.get $c4)))
        (local.set $svlo (v128.load32_splat offset=0x1000 (local.get $c4)))
        (local.set $oks (i32.load8_u offset=0x1400 (i32.shr_u (local.get $c4) (i32.const 2))))
        (local.set $k (local.get $sub))
        (loop $subblock
          ;; x as four f32x4 (BF16: each 16-bit word moved to the top of a 32-bit lane)
          (if (local.get $bf16)
            (then
              (local.set $raw (v128.load (local.get $x)))
              (local.set $raw2 (v128.load offset=16 (local.get $x)))
              (local.set $x0 (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $raw)) (i32.const 16)))
              (local.set $x1 (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $raw)) (i32.const 16)))
              (local.set $x2 (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $raw2)) (i32.const 16)))
              (local.set $x3 (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $raw2)) (i32.const 16)))
              ;; exponent fields above 2^56 (0x5b80 in BF16)
              (local.set $ok (i32.and (local.get $oks) (i32.eqz (v128.any_true (v128.or
                (i16x8.gt_s (v128.and (local.get $raw) (v128.load (i32.const 0x1500))) (v128.load (i32.const 0x1510)))
                (i16x8.gt_s (v128.and (local.get $raw2) (v128.load (i32.const 0x1500))) (v128.load (i32.const 0x1510))))))))
              (local.set $x (i32.add (local.get $x) (i32.const 32))))
            (else
              (local.set $x0 (v128.load (local.get $x)))
              (local.set $x1 (v128.load offset=16 (local.get $x)))
              (local.set $x2 (v128.load offset=32 (local.get $x)))
              (local.set $x3 (v128.load offset=48 (local.get $x)))
              (local.set $ok (i32.and (local.get $oks) (i32.eqz (v128.any_true (v128.or
                (v128.or
                  (i32x4.gt_s (v128.and (local.get $x0) (v128.load (i32.const 0x1520))) (v128.load (i32.const 0x1530)))
                  (i32x4.gt_s (v128.and (local.get $x1) (v128.load (i32.const 0x1520))) (v128.load (i32.const 0x1530))))
                (v128.or
                  (i32x4.gt_s (v128.and (local.get $x2) (v128.load (i32.const 0x1520))) (v128.load (i32.const 0x1530)))
                  (i32x4.gt_s (v128.and (local.get $x3) (v128.load (i32.const 0x1520))) (v128.load (i32.const 0x1530)))))))))
              (local.set $x (i32.add (local.get $x) (i32.const 64)))))
          (if (local.get $ok)
            (then
              ;; the 16 nibble codes in element order, then each level's BF16 bits (the top of its
              ;; f32) as 16-bit words: elements 0-7 in $r0, 8-15 in $r1
              (local.set $raw (v128.load64_zero (local.get $q)))
              (local.set $first (v128.and (local.get $raw) (v128.load (i32.const 0x1540))))
              (local.set $second (v128.and (i16x8.shr_u (local.get $raw) (i32.const 4)) (v128.load (i32.const 0x1540))))
              (if (local.get $high)
                (then
                  (local.set $c (local.get $first))
                  (local.set $first (local.get $second))
                  (local.set $second (local.get $c))))
              (local.set $c (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23
                (local.get $first) (local.get $second)))
              (local.set $h (i8x16.swizzle (local.get $hi) (local.get $c)))
              (local.set $l (i8x16.swizzle (local.get $lo) (local.get $c)))
              (local.set $r0 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $l) (local.get $h)))
              (local.set $r1 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $l) (local.get $h)))
              ;; e = (x - level x hi) - level x lo: the first difference is exact where x is near y (Sterbenz), so
              ;; e is correctly rounded and 0 exactly when x = y; y = level x hi + level x lo
              (local.set $lv (i8x16.swizzle (local.get $r0) (v128.load (i32.const 0x1550))))
              (local.set $t (f32x4.mul (local.get $lv) (local.get $svlo)))
              (local.set $y0 (f32x4.mul (local.get $lv) (local.get $sv)))
              (local.set $e0 (f32x4.sub (f32x4.sub (local.get $x0) (local.get $y0)) (local.get $t)))
              (local.set $y0 (f32x4.add (local.get $y0) (local.get $t)))
              (local.set $lv (i8x16.swizzle (local.get $r0) (v128.load (i32.const 0x1560))))
              (local.set $t (f32x4.mul (local.get $lv) (local.get $svlo)))
              (local.set $y1 (f32x4.mul (local.get $lv) (local.get $sv)))
              (local.set $e1 (f32x4.sub (f32x4.sub (local.get $x1) (local.get $y1)) (local.get $t)))
              (local.set $y1 (f32x4.add (local.get $y1) (local.get $t)))
              (local.set $lv (i8x16.swizzle (local.get $r1) (v128.load (i32.const 0x1550))))
              (local.set $t (f32x4.mul (local.get $lv) (local.get $svlo)))
              (local.set $y2 (f32x4.mul (local.get $lv) (local.get $sv)))
              (local.set $e2 (f32x4.sub (f32x4.sub (local.get $x2) (local.get $y2)) (local.get $t)))
              (local.set $y2 (f32x4.add (local.get $y2) (local.get $t)))
              (local.set $lv (i8x16.swizzle (local.get $r1) (v128.load (i32.const 0x1560))))
              (local.set $t (f32x4.mul (local.get $lv) (local.get $svlo)))
              (local.set $y3 (f32x4.mul (local.get $lv) (local.get $sv)))
              (local.set $e3 (f32x4.sub (f32x4.sub (local.get $x3) (local.get $y3)) (local.get $t)))
              (local.set $y3 (f32x4.add (local.get $y3) (local.get $t)))
              (local.set $pa (f32x4.add (local.get $pa) (f32x4.add (f32x4.add (f32x4.mul (local.get $x0) (local.get $x0)) (f32x4.mul (local.get $x1) (local.get $x1))) (f32x4.add (f32x4.mul (local.get $x2) (local.get $x2)) (f32x4.mul (local.get $x3) (local.get $x3))))))
              (local.set $pb (f32x4.add (local.get $pb) (f32x4.add (f32x4.add (f32x4.mul (local.get $y0) (local.get $y0)) (f32x4.mul (local.get $y1) (local.get $y1))) (f32x4.add (f32x4.mul (local.get $y2) (local.get $y2)) (f32x4.mul (local.get $y3) (local.get $y3))))))
              (local.set $pab (f32x4.add (local.get $pab) (f32x4.add (f32x4.add (f32x4.mul (local.get $x0) (local.get $y0)) (f32x4.mul (local.get $x1) (local.get $y1))) (f32x4.add (f32x4.mul (local.get $x2) (local.get $y2)) (f32x4.mul (local.get $x3) (local.get $y3))))))
              (local.set $pe (f32x4.add (local.get $pe) (f32x4.add (f32x4.add (f32x4.mul (local.get $e0) (local.get $e0)) (f32x4.mul (local.get $e1) (local.get $e1))) (f32x4.add (f32x4.mul (local.get $e2) (local.get $e2)) (f32x4.mul (local.get $e3) (local.get $e3))))))
              ;; the nibble-swapped reading: each byte's two elements exchanged (lanes 0-1, 2-3)
              (local.set $psw (f32x4.add (local.get $psw) (f32x4.add (f32x4.add (f32x4.mul (local.get $x0) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $y0) (local.get $y0))) (f32x4.mul (local.get $x1) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $y1) (local.get $y1)))) (f32x4.add (f32x4.mul (local.get $x2) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $y2) (local.get $y2))) (f32x4.mul (local.get $x3) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $y3) (local.get $y3)))))))
              (local.set $mx (f32x4.pmax (local.get $mx) (f32x4.pmax (f32x4.pmax (v128.and (local.get $e0) (v128.load (i32.const 0x1570))) (v128.and (local.get $e1) (v128.load (i32.const 0x1570)))) (f32x4.pmax (v128.and (local.get $e2) (v128.load (i32.const 0x1570))) (v128.and (local.get $e3) (v128.load (i32.const 0x1570)))))))
              (local.set $eq (i32x4.sub (local.get $eq) (i32x4.add (i32x4.add (f32x4.eq (local.get $e0) (v128.const i64x2 0 0)) (f32x4.eq (local.get $e1) (v128.const i64x2 0 0))) (i32x4.add (f32x4.eq (local.get $e2) (v128.const i64x2 0 0)) (f32x4.eq (local.get $e3) (v128.const i64x2 0 0))))))
              (local.set $finite (f64.add (local.get $finite) (f64.const 16))))
            (else
              ;; the scalar path reads the sub-block again from memory: no vector value is shared
              ;; with the vector path (TurboFan would keep them all alive across the branch)
              (call $load16 (i32.sub (local.get $x) (select (i32.const 32) (i32.const 64) (local.get $bf16))) (local.get $bf16) (i32.const 0x300))
              (call $fp4y (local.get $q) (f64.load offset=0x400 (i32.shl (local.get $c4) (i32.const 1))) (local.get $high))
              (call $scalar (i32.const 16) (i32.const 1))))
          (local.set $q (i32.add (local.get $q) (i32.const 8)))
          (local.set $fill (i32.add (local.get $fill) (i32.const 16)))
          (if (i32.eqz (i32.and (local.get $fill) (i32.const 127)))
            (then
              (v128.store (i32.const 0x170) (local.get $pa))
              (v128.store (i32.const 0x180) (local.get $pb))
              (v128.store (i32.const 0x190) (local.get $pab))
              (v128.store (i32.const 0x1a0) (local.get $pe))
              (v128.store (i32.const 0x1b0) (local.get $psw))
              (v128.store (i32.const 0x1D0) (local.get $eq))
              (call $fold32)
              (local.set $pa (v128.const i64x2 0 0))
              (local.set $pb (v128.const i64x2 0 0))
              (local.set $pab (v128.const i64x2 0 0))
              (local.set $pe (v128.const i64x2 0 0))
              (local.set $psw (v128.const i64x2 0 0))
              (local.set $eq (v128.const i64x2 0 0))
              (if (i32.eq (local.get $fill) (i32.const 4096))
                (then
                  (call $fold)
                  (local.set $fill (i32.const 0))))))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br_if $subblock (local.get $k)))
        (local.set $sc (i32.add (local.get $sc) (i32.const 1)))
        (local.set $blocks (i32.sub (local.get $blocks) (i32.const 1)))
        (br_if $block (local.get $blocks))))
    (v128.store (i32.const 0x170) (local.get $pa))
    (v128.store (i32.const 0x180) (local.get $pb))
    (v128.store (i32.const 0x190) (local.get $pab))
    (v128.store (i32.const 0x1a0) (local.get $pe))
    (v128.store (i32.const 0x1b0) (local.get $psw))
    (v128.store (i32.const 0x1C0) (local.get $mx))
    (v128.store (i32.const 0x1D0) (local.get $eq))
    (i32.store (i32.const 0xA8) (local.get $fill))
    (f64.store (i32.const 0x130) (f64.add (f64.load (i32.const 0x130)) (local.get $finite))))

  ;; Two plain float tensors, $n elements from x and y (each BF16 when its flag is 1, else F32):
  ;; the same figures as fp4pair (no swapped reading), in the same STATE. Vector sub-blocks of 16
  ;; where every x and y is finite, $scalar for the others and for the last $n mod 16.
  (func (export "plainpair") (param $x i32) (param $xbf16 i32) (param $y i32) (param $ybf16 i32) (param $n i32)
    (local $aa v128) (local $bb v128) (local $ab v128) (local $ee v128) (local $mx v128) (local $eq v128) (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128) (local $xa v128) (local $xb v128) (local $ya v128) (local $yb v128) (local $ea v128) (local $eb v128) (local $raw v128) (local $raw2 v128)
    (local $fill i32) (local $finite f64) (local $k i32) (local $subs i32)
    (local.set $aa (v128.load (i32.const 0x0)))
    (local.set $bb (v128.load (i32.const 0x10)))
    (local.set $ab (v128.load (i32.const 0x20)))
    (local.set $ee (v128.load (i32.const 0x30)))
    (local.set $mx (v128.load (i32.const 0x50)))
    (local.set $eq (v128.load (i32.const 0x60)))
    (local.set $fill (i32.load (i32.const 0xA8)))
    (local.set $subs (i32.shr_u (local.get $n) (i32.const 4)))
    ;; the loop's constant vectors, read from memory (CONSTS; see fp4pair)
    (v128.store (i32.const 0x1580) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))
    (block $done
      (br_if $done (i32.eqz (local.get $subs)))
      (loop $subblock
          (if (local.get $xbf16)
            (then
              (local.set $raw (v128.load (local.get $x)))
              (local.set $raw2 (v128.load offset=16 (local.get $x)))
              (local.set $x0 (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $raw)) (i32.const 16)))
              (local.set $x1 (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $raw)) (i32.const 16)))
              (local.set $x2 (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $raw2)) (i32.const 16)))
              (local.set $x3 (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $raw2)) (i32.const 16)))
              (local.set $x (i32.add (local.get $x) (i32.const 32))))
            (else
              (local.set $x0 (v128.load (local.get $x)))
              (local.set $x1 (v128.load offset=16 (local.get $x)))
              (local.set $x2 (v128.load offset=32 (local.get $x)))
              (local.set $x3 (v128.load offset=48 (local.get $x)))
              (local.set $x (i32.add (local.get $x) (i32.const 64)))))
          (if (local.get $ybf16)
            (then
              (local.set $raw (v128.load (local.get $y)))
              (local.set $raw2 (v128.load offset=16 (local.get $y)))
              (local.set $y0 (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $raw)) (i32.const 16)))
              (local.set $y1 (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $raw)) (i32.const 16)))
              (local.set $y2 (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $raw2)) (i32.const 16)))
              (local.set $y3 (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $raw2)) (i32.const 16)))
              (local.set $y (i32.add (local.get $y) (i32.const 32))))
            (else
              (local.set $y0 (v128.load (local.get $y)))
              (local.set $y1 (v128.load offset=16 (local.get $y)))
              (local.set $y2 (v128.load offset=32 (local.get $y)))
              (local.set $y3 (v128.load offset=48 (local.get $y)))
              (local.set $y (i32.add (local.get $y) (i32.const 64)))))
          (if (i32.or (v128.any_true (v128.or (v128.or (i32x4.eq (v128.and (local.get $x0) (v128.load (i32.const 0x1580))) (v128.load (i32.const 0x1580))) (i32x4.eq (v128.and (local.get $x1) (v128.load (i32.const 0x1580))) (v128.load (i32.const 0x1580)))) (v128.or (i32x4.eq (v128.and (local.get $x2) (v128.load (i32.const 0x1580))) (v128.load (i32.const 0x1580))) (i32x4.eq (v128.and (local.get $x3) (v128.load (i32.const 0x1580))) (v128.load (i32.const 0x1580))))))
                      (v128.any_true (v128.or (v128.or (i32x4.eq (v128.and (local.get $y0) (v128.load (i32.const 0x1580))) (v128.load (i32.const 0x1580))) (i32x4.eq (v128.and (local.get $y1) (v128.load (i32.const 0x1580))) (v128.load (i32.const 0x1580)))) (v128.or (i32x4.eq (v128.and (local.get $y2) (v128.load (i32.const 0x1580))) (v128.load (i32.const 0x1580))) (i32x4.eq (v128.and (local.get $y3) (v128.load (i32.const 0x1580))) (v128.load (i32.const 0x1580)))))))
            (then
              (call $load16 (i32.sub (local.get $x) (select (i32.const 32) (i32.const 64) (local.get $xbf16))) (local.get $xbf16) (i32.const 0x300))
              (call $load16 (i32.sub (local.get $y) (select (i32.const 32) (i32.const 64) (local.get $ybf16))) (local.get $ybf16) (i32.const 0x380))
              (call $scalar (i32.const 16) (i32.const 0)))
            (else
              ;; elements 0-3
              (local.set $xa (f64x2.promote_low_f32x4 (local.get $x0)))
              (local.set $xb (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $x0) (local.get $x0))))
              (local.set $ya (f64x2.promote_low_f32x4 (local.get $y0)))
              (local.set $yb (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $y0) (local.get $y0))))
              (local.set $ea (f64x2.sub (local.get $xa) (local.get $ya)))
              (local.set $eb (f64x2.sub (local.get $xb) (local.get $yb)))
              (local.set $aa (f64x2.add (local.get $aa) (f64x2.add (f64x2.mul (local.get $xa) (local.get $xa)) (f64x2.mul (local.get $xb) (local.get $xb)))))
              (local.set $bb (f64x2.add (local.get $bb) (f64x2.add (f64x2.mul (local.get $ya) (local.get $ya)) (f64x2.mul (local.get $yb) (local.get $yb)))))
              (local.set $ab (f64x2.add (local.get $ab) (f64x2.add (f64x2.mul (local.get $xa) (local.get $ya)) (f64x2.mul (local.get $xb) (local.get $yb)))))
              (local.set $ee (f64x2.add (local.get $ee) (f64x2.add (f64x2.mul (local.get $ea) (local.get $ea)) (f64x2.mul (local.get $eb) (local.get $eb)))))
              (local.set $mx (f64x2.pmax (local.get $mx) (f64x2.pmax (f64x2.abs (local.get $ea)) (f64x2.abs (local.get $eb)))))
              (local.set $eq (i64x2.sub (local.get $eq) (i64x2.add (f64x2.eq (local.get $xa) (local.get $ya)) (f64x2.eq (local.get $xb) (local.get $yb)))))
              ;; elements 4-7
              (local.set $xa (f64x2.promote_low_f32x4 (local.get $x1)))
              (local.set $xb (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $x1) (local.get $x1))))
              (local.set $ya (f64x2.promote_low_f32x4 (local.get $y1)))
              (local.set $yb (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $y1) (local.get $y1))))
              (local.set $ea (f64x2.sub (local.get $xa) (local.get $ya)))
              (local.set $eb (f64x2.sub (local.get $xb) (local.get $yb)))
              (local.set $aa (f64x2.add (local.get $aa) (f64x2.add (f64x2.mul (local.get $xa) (local.get $xa)) (f64x2.mul (local.get $xb) (local.get $xb)))))
              (local.set $bb (f64x2.add (local.get $bb) (f64x2.add (f64x2.mul (local.get $ya) (local.get $ya)) (f64x2.mul (local.get $yb) (local.get $yb)))))
              (local.set $ab (f64x2.add (local.get $ab) (f64x2.add (f64x2.mul (local.get $xa) (local.get $ya)) (f64x2.mul (local.get $xb) (local.get $yb)))))
              (local.set $ee (f64x2.add (local.get $ee) (f64x2.add (f64x2.mul (local.get $ea) (local.get $ea)) (f64x2.mul (local.get $eb) (local.get $eb)))))
              (local.set $mx (f64x2.pmax (local.get $mx) (f64x2.pmax (f64x2.abs (local.get $ea)) (f64x2.abs (local.get $eb)))))
              (local.set $eq (i64x2.sub (local.get $eq) (i64x2.add (f64x2.eq (local.get $xa) (local.get $ya)) (f64x2.eq (local.get $xb) (local.get $yb)))))
              ;; elements 8-11
              (local.set $xa (f64x2.promote_low_f32x4 (local.get $x2)))
              (local.set $xb (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $x2) (local.get $x2))))
              (local.set $ya (f64x2.promote_low_f32x4 (local.get $y2)))
              (local.set $yb (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $y2) (local.get $y2))))
              (local.set $ea (f64x2.sub (local.get $xa) (local.get $ya)))
              (local.set $eb (f64x2.sub (local.get $xb) (local.get $yb)))
              (local.set $aa (f64x2.add (local.get $aa) (f64x2.add (f64x2.mul (local.get $xa) (local.get $xa)) (f64x2.mul (local.get $xb) (local.get $xb)))))
              (local.set $bb (f64x2.add (local.get $bb) (f64x2.add (f64x2.mul (local.get $ya) (local.get $ya)) (f64x2.mul (local.get $yb) (local.get $yb)))))
              (local.set $ab (f64x2.add (local.get $ab) (f64x2.add (f64x2.mul (local.get $xa) (local.get $ya)) (f64x2.mul (local.get $xb) (local.get $yb)))))
              (local.set $ee (f64x2.add (local.get $ee) (f64x2.add (f64x2.mul (local.get $ea) (local.get $ea)) (f64x2.mul (local.get $eb) (local.get $eb)))))
              (local.set $mx (f64x2.pmax (local.get $mx) (f64x2.pmax (f64x2.abs (local.get $ea)) (f64x2.abs (local.get $eb)))))
              (local.set $eq (i64x2.sub (local.get $eq) (i64x2.add (f64x2.eq (local.get $xa) (local.get $ya)) (f64x2.eq (local.get $xb) (local.get $yb)))))
              ;; elements 12-15
              (local.set $xa (f64x2.promote_low_f32x4 (local.get $x3)))
              (local.set $xb (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $x3) (local.get $x3))))
              (local.set $ya (f64x2.promote_low_f32x4 (local.get $y3)))
              (local.set $yb (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $y3) (local.get $y3))))
              (local.set $ea (f64x2.sub (local.get $xa) (local.get $ya)))
              (local.set $eb (f64x2.sub (local.get $xb) (local.get $yb)))
              (local.set $aa (f64x2.add (local.get $aa) (f64x2.add (f64x2.mul (local.get $xa) (local.get $xa)) (f64x2.mul (local.get $xb) (local.get $xb)))))
              (local.set $bb (f64x2.add (local.get $bb) (f64x2.add (f64x2.mul (local.get $ya) (local.get $ya)) (f64x2.mul (local.get $yb) (local.get $yb)))))
              (local.set $ab (f64x2.add (local.get $ab) (f64x2.add (f64x2.mul (local.get $xa) (local.get $ya)) (f64x2.mul (local.get $xb) (local.get $yb)))))
              (local.set $ee (f64x2.add (local.get $ee) (f64x2.add (f64x2.mul (local.get $ea) (local.get $ea)) (f64x2.mul (local.get $eb) (local.get $eb)))))
              (local.set $mx (f64x2.pmax (local.get $mx) (f64x2.pmax (f64x2.abs (local.get $ea)) (f64x2.abs (local.get $eb)))))
              (local.set $eq (i64x2.sub (local.get $eq) (i64x2.add (f64x2.eq (local.get $xa) (local.get $ya)) (f64x2.eq (local.get $xb) (local.get $yb)))))
              (local.set $finite (f64.add (local.get $finite) (f64.const 16)))))
          (local.set $fill (i32.add (local.get $fill) (i32.const 16)))
          (if (i32.eq (local.get $fill) (i32.const 4096))
            (then
              (v128.store (i32.const 0x0) (local.get $aa))
              (v128.store (i32.const 0x10) (local.get $bb))
              (v128.store (i32.const 0x20) (local.get $ab))
              (v128.store (i32.const 0x30) (local.get $ee))
              (call $fold)
              (local.set $aa (v128.const i64x2 0 0))
              (local.set $bb (v128.const i64x2 0 0))
              (local.set $ab (v128.const i64x2 0 0))
              (local.set $ee (v128.const i64x2 0 0))
              (local.set $fill (i32.const 0))))
          (local.set $subs (i32.sub (local.get $subs) (i32.const 1)))
          (br_if $subblock (local.get $subs))))
    (v128.store (i32.const 0x0) (local.get $aa))
    (v128.store (i32.const 0x10) (local.get $bb))
    (v128.store (i32.const 0x20) (local.get $ab))
    (v128.store (i32.const 0x30) (local.get $ee))
    (v128.store (i32.const 0x50) (local.get $mx))
    (v128.store (i32.const 0x60) (local.get $eq))
    (f64.store (i32.const 0x130) (f64.add (f64.load (i32.const 0x130)) (local.get $finite)))
    ;; the last $n mod 16 elements (the end of a tensor), through SCRATCH
    (local.set $subs (i32.and (local.get $n) (i32.const 15)))
    (if (local.get $subs)
      (then
        (loop $tail
          (f64.store offset=0x300 (i32.shl (local.get $k) (i32.const 3))
            (if (result f64) (local.get $xbf16)
              (then (f64.promote_f32 (f32.reinterpret_i32 (i32.shl (i32.load16_u (local.get $x)) (i32.const 16)))))
              (else (f64.promote_f32 (f32.load (local.get $x))))))
          (f64.store offset=0x380 (i32.shl (local.get $k) (i32.const 3))
            (if (result f64) (local.get $ybf16)
              (then (f64.promote_f32 (f32.reinterpret_i32 (i32.shl (i32.load16_u (local.get $y)) (i32.const 16)))))
              (else (f64.promote_f32 (f32.load (local.get $y))))))
          (local.set $x (i32.add (local.get $x) (select (i32.const 2) (i32.const 4) (local.get $xbf16))))
          (local.set $y (i32.add (local.get $y) (select (i32.const 2) (i32.const 4) (local.get $ybf16))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $tail (i32.lt_u (local.get $k) (local.get $subs))))
        (call $scalar (local.get $subs) (i32.const 0))
        (local.set $fill (i32.add (local.get $fill) (local.get $subs)))
        (if (i32.eq (local.get $fill) (i32.const 4096))
          (then
            (call $fold)
            (local.set $fill (i32.const 0))))))
    (i32.store (i32.const 0xA8) (local.get $fill)))

  ;; An FP8 weight (E4M3FN or E5M2) against its float weight, $subs sub-blocks of 16 elements:
  ;;   x   the float side, BF16 ($bf16 = 1) or F32, from byte $x on
  ;;   q   the FP8 bytes, 16 per sub-block
  ;;   sp  one f64 scale per sub-block (the caller reads the scale grid)
  ;; y = level(byte) x scale in float64, level as TABLE holds it (256 f64, the JS decoder's
  ;; table). The vector path widens each byte to its level exactly: the magnitude bits shifted
  ;; by $shift (20 for E4M3, 21 for E5M2) into an f32 and multiplied by $bias (2^120, 2^112),
  ;; which also gives the subnormals; the sign bit moved on top. A sub-block with a byte whose
  ;; bits under $special are all set (E4M3FN NaN, E5M2 Inf/NaN), a non-finite x or a scale not
  ;; finite or above 2^500 goes through $scalar with y from TABLE.
  (func (export "fp8pair") (param $x i32) (param $bf16 i32) (param $q i32) (param $sp i32)
      (param $subs i32) (param $shift i32) (param $bias f32) (param $special i32)
    (local $aa v128) (local $bb v128) (local $ab v128) (local $ee v128) (local $mx v128) (local $eq v128) (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $l0 v128) (local $l1 v128) (local $l2 v128) (local $l3 v128) (local $xa v128) (local $xb v128) (local $ya v128) (local $yb v128) (local $ea v128) (local $eb v128) (local $raw v128) (local $raw2 v128) (local $bytes v128) (local $sv v128) (local $u16 v128) (local $mul v128)
    (local $fill i32) (local $finite f64) (local $s f64) (local $ok i32) (local $k i32) (local $spec v128)
    (local.set $aa (v128.load (i32.const 0x0)))
    (local.set $bb (v128.load (i32.const 0x10)))
    (local.set $ab (v128.load (i32.const 0x20)))
    (local.set $ee (v128.load (i32.const 0x30)))
    (local.set $mx (v128.load (i32.const 0x50)))
    (local.set $eq (v128.load (i32.const 0x60)))
    (local.set $fill (i32.load (i32.const 0xA8)))
    (local.set $mul (f32x4.splat (local.get $bias)))
    (local.set $spec (i8x16.splat (local.get $special)))
    ;; the loop's constant vectors, read from memory (CONSTS; see fp4pair)
    (v128.store (i32.const 0x1600) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))
    (v128.store (i32.const 0x1610) (v128.const i32x4 0x7f 0x7f 0x7f 0x7f))
    (v128.store (i32.const 0x1620) (v128.const i32x4 0x80 0x80 0x80 0x80))
    (block $done
      (br_if $done (i32.eqz (local.get $subs)))
      (loop $subblock
        (local.set $s (f64.load (local.get $sp)))
        (local.set $sv (f64x2.splat (local.get $s)))
        (local.set $ok (f64.le (f64.abs (local.get $s)) (f64.const 0x1p500)))
        (if (local.get $bf16)
          (then
            (local.set $raw (v128.load (local.get $x)))
            (local.set $raw2 (v128.load offset=16 (local.get $x)))
            (local.set $x0 (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $raw)) (i32.const 16)))
            (local.set $x1 (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $raw)) (i32.const 16)))
            (local.set $x2 (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $raw2)) (i32.const 16)))
            (local.set $x3 (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $raw2)) (i32.const 16)))
            (local.set $x (i32.add (local.get $x) (i32.const 32))))
          (else
            (local.set $x0 (v128.load (local.get $x)))
            (local.set $x1 (v128.load offset=16 (local.get $x)))
            (local.set $x2 (v128.load offset=32 (local.get $x)))
            (local.set $x3 (v128.load offset=48 (local.get $x)))
            (local.set $x (i32.add (local.get $x) (i32.const 64)))))
        (local.set $ok (i32.and (local.get $ok) (i32.eqz (v128.any_true (v128.or (v128.or (i32x4.eq (v128.and (local.get $x0) (v128.load (i32.const 0x1600))) (v128.load (i32.const 0x1600))) (i32x4.eq (v128.and (local.get $x1) (v128.load (i32.const 0x1600))) (v128.load (i32.const 0x1600)))) (v128.or (i32x4.eq (v128.and (local.get $x2) (v128.load (i32.const 0x1600))) (v128.load (i32.const 0x1600))) (i32x4.eq (v128.and (local.get $x3) (v128.load (i32.const 0x1600))) (v128.load (i32.const 0x1600)))))))))
        (local.set $bytes (v128.load (local.get $q)))
        (local.set $ok (i32.and (local.get $ok) (i32.eqz (v128.any_true
          (i8x16.eq (v128.and (local.get $bytes) (local.get $spec)) (local.get $spec))))))
        (if (local.get $ok)
          (then
            (local.set $u16 (i16x8.extend_low_i8x16_u (local.get $bytes)))
            (local.set $raw (i32x4.extend_low_i16x8_u (local.get $u16)))
            (local.set $l0 (v128.or
              (f32x4.mul (i32x4.shl (v128.and (local.get $raw) (v128.load (i32.const 0x1610))) (local.get $shift)) (local.get $mul))
              (i32x4.shl (v128.and (local.get $raw) (v128.load (i32.const 0x1620))) (i32.const 24))))
            (local.set $raw (i32x4.extend_high_i16x8_u (local.get $u16)))
            (local.set $l1 (v128.or
              (f32x4.mul (i32x4.shl (v128.and (local.get $raw) (v128.load (i32.const 0x1610))) (local.get $shift)) (local.get $mul))
              (i32x4.shl (v128.and (local.get $raw) (v128.load (i32.const 0x1620))) (i32.const 24))))
            (local.set $u16 (i16x8.extend_high_i8x16_u (local.get $bytes)))
            (local.set $raw (i32x4.extend_low_i16x8_u (local.get $u16)))
            (local.set $l2 (v128.or
              (f32x4.mul (i32x4.shl (v128.and (local.get $raw) (v128.load (i32.const 0x1610))) (local.get $shift)) (local.get $mul))
              (i32x4.shl (v128.and (local.get $raw) (v128.load (i32.const 0x1620))) (i32.const 24))))
            (local.set $raw (i32x4.extend_high_i16x8_u (local.get $u16)))
            (local.set $l3 (v128.or
              (f32x4.mul (i32x4.shl (v128.and (local.get $raw) (v128.load (i32.const 0x1610))) (local.get $shift)) (local.get $mul))
              (i32x4.shl (v128.and (local.get $raw) (v128.load (i32.const 0x1620))) (i32.const 24))))
            ;; elements 0-3
            (local.set $xa (f64x2.promote_low_f32x4 (local.get $x0)))
            (local.set $xb (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $x0) (local.get $x0))))
            (local.set $ya (f64x2.mul (f64x2.promote_low_f32x4 (local.get $l0)) (local.get $sv)))
            (local.set $yb (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $l0) (local.get $l0))) (local.get $sv)))
            (local.set $ea (f64x2.sub (local.get $xa) (local.get $ya)))
            (local.set $eb (f64x2.sub (local.get $xb) (local.get $yb)))
            (local.set $aa (f64x2.add (local.get $aa) (f64x2.add (f64x2.mul (local.get $xa) (local.get $xa)) (f64x2.mul (local.get $xb) (local.get $xb)))))
            (local.set $bb (f64x2.add (local.get $bb) (f64x2.add (f64x2.mul (local.get $ya) (local.get $ya)) (f64x2.mul (local.get $yb) (local.get $yb)))))
            (local.set $ab (f64x2.add (local.get $ab) (f64x2.add (f64x2.mul (local.get $xa) (local.get $ya)) (f64x2.mul (local.get $xb) (local.get $yb)))))
            (local.set $ee (f64x2.add (local.get $ee) (f64x2.add (f64x2.mul (local.get $ea) (local.get $ea)) (f64x2.mul (local.get $eb) (local.get $eb)))))
            (local.set $mx (f64x2.pmax (local.get $mx) (f64x2.pmax (f64x2.abs (local.get $ea)) (f64x2.abs (local.get $eb)))))
            (local.set $eq (i64x2.sub (local.get $eq) (i64x2.add (f64x2.eq (local.get $xa) (local.get $ya)) (f64x2.eq (local.get $xb) (local.get $yb)))))
            ;; elements 4-7
            (local.set $xa (f64x2.promote_low_f32x4 (local.get $x1)))
            (local.set $xb (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $x1) (local.get $x1))))
            (local.set $ya (f64x2.mul (f64x2.promote_low_f32x4 (local.get $l1)) (local.get $sv)))
            (local.set $yb (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $l1) (local.get $l1))) (local.get $sv)))
            (local.set $ea (f64x2.sub (local.get $xa) (local.get $ya)))
            (local.set $eb (f64x2.sub (local.get $xb) (local.get $yb)))
            (local.set $aa (f64x2.add (local.get $aa) (f64x2.add (f64x2.mul (local.get $xa) (local.get $xa)) (f64x2.mul (local.get $xb) (local.get $xb)))))
            (local.set $bb (f64x2.add (local.get $bb) (f64x2.add (f64x2.mul (local.get $ya) (local.get $ya)) (f64x2.mul (local.get $yb) (local.get $yb)))))
            (local.set $ab (f64x2.add (local.get $ab) (f64x2.add (f64x2.mul (local.get $xa) (local.get $ya)) (f64x2.mul (local.get $xb) (local.get $yb)))))
            (local.set $ee (f64x2.add (local.get $ee) (f64x2.add (f64x2.mul (local.get $ea) (local.get $ea)) (f64x2.mul (local.get $eb) (local.get $eb)))))
            (local.set $mx (f64x2.pmax (local.get $mx) (f64x2.pmax (f64x2.abs (local.get $ea)) (f64x2.abs (local.get $eb)))))
            (local.set $eq (i64x2.sub (local.get $eq) (i64x2.add (f64x2.eq (local.get $xa) (local.get $ya)) (f64x2.eq (local.get $xb) (local.get $yb)))))
            ;; elements 8-11
            (local.set $xa (f64x2.promote_low_f32x4 (local.get $x2)))
            (local.set $xb (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $x2) (local.get $x2))))
            (local.set $ya (f64x2.mul (f64x2.promote_low_f32x4 (local.get $l2)) (local.get $sv)))
            (local.set $yb (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $l2) (local.get $l2))) (local.get $sv)))
            (local.set $ea (f64x2.sub (local.get $xa) (local.get $ya)))
            (local.set $eb (f64x2.sub (local.get $xb) (local.get $yb)))
            (local.set $aa (f64x2.add (local.get $aa) (f64x2.add (f64x2.mul (local.get $xa) (local.get $xa)) (f64x2.mul (local.get $xb) (local.get $xb)))))
            (local.set $bb (f64x2.add (local.get $bb) (f64x2.add (f64x2.mul (local.get $ya) (local.get $ya)) (f64x2.mul (local.get $yb) (local.get $yb)))))
            (local.set $ab (f64x2.add (local.get $ab) (f64x2.add (f64x2.mul (local.get $xa) (local.get $ya)) (f64x2.mul (local.get $xb) (local.get $yb)))))
            (local.set $ee (f64x2.add (local.get $ee) (f64x2.add (f64x2.mul (local.get $ea) (local.get $ea)) (f64x2.mul (local.get $eb) (local.get $eb)))))
            (local.set $mx (f64x2.pmax (local.get $mx) (f64x2.pmax (f64x2.abs (local.get $ea)) (f64x2.abs (local.get $eb)))))
            (local.set $eq (i64x2.sub (local.get $eq) (i64x2.add (f64x2.eq (local.get $xa) (local.get $ya)) (f64x2.eq (local.get $xb) (local.get $yb)))))
            ;; elements 12-15
            (local.set $xa (f64x2.promote_low_f32x4 (local.get $x3)))
            (local.set $xb (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $x3) (local.get $x3))))
            (local.set $ya (f64x2.mul (f64x2.promote_low_f32x4 (local.get $l3)) (local.get $sv)))
            (local.set $yb (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $l3) (local.get $l3))) (local.get $sv)))
            (local.set $ea (f64x2.sub (local.get $xa) (local.get $ya)))
            (local.set $eb (f64x2.sub (local.get $xb) (local.get $yb)))
            (local.set $aa (f64x2.add (local.get $aa) (f64x2.add (f64x2.mul (local.get $xa) (local.get $xa)) (f64x2.mul (local.get $xb) (local.get $xb)))))
            (local.set $bb (f64x2.add (local.get $bb) (f64x2.add (f64x2.mul (local.get $ya) (local.get $ya)) (f64x2.mul (local.get $yb) (local.get $yb)))))
            (local.set $ab (f64x2.add (local.get $ab) (f64x2.add (f64x2.mul (local.get $xa) (local.get $ya)) (f64x2.mul (local.get $xb) (local.get $yb)))))
            (local.set $ee (f64x2.add (local.get $ee) (f64x2.add (f64x2.mul (local.get $ea) (local.get $ea)) (f64x2.mul (local.get $eb) (local.get $eb)))))
            (local.set $mx (f64x2.pmax (local.get $mx) (f64x2.pmax (f64x2.abs (local.get $ea)) (f64x2.abs (local.get $eb)))))
            (local.set $eq (i64x2.sub (local.get $eq) (i64x2.add (f64x2.eq (local.get $xa) (local.get $ya)) (f64x2.eq (local.get $xb) (local.get $yb)))))
            (local.set $finite (f64.add (local.get $finite) (f64.const 16))))
          (else
            (call $load16 (i32.sub (local.get $x) (select (i32.const 32) (i32.const 64) (local.get $bf16))) (local.get $bf16) (i32.const 0x300))
            (local.set $k (i32.const 0))
            (loop $levels
              (f64.store offset=0x380 (i32.shl (local.get $k) (i32.const 3))
                (f64.mul
                  (f64.load offset=0x400 (i32.shl (i32.load8_u (i32.add (local.get $q) (local.get $k))) (i32.const 3)))
                  (local.get $s)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br_if $levels (i32.lt_u (local.get $k) (i32.const 16))))
            (call $scalar (i32.const 16) (i32.const 0))))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (local.set $sp (i32.add (local.get $sp) (i32.const 8)))
        (local.set $fill (i32.add (local.get $fill) (i32.const 16)))
        (if (i32.eq (local.get $fill) (i32.const 4096))
          (then
            (v128.store (i32.const 0x0) (local.get $aa))
            (v128.store (i32.const 0x10) (local.get $bb))
            (v128.store (i32.const 0x20) (local.get $ab))
            (v128.store (i32.const 0x30) (local.get $ee))
            (call $fold)
            (local.set $aa (v128.const i64x2 0 0))
            (local.set $bb (v128.const i64x2 0 0))
            (local.set $ab (v128.const i64x2 0 0))
            (local.set $ee (v128.const i64x2 0 0))
            (local.set $fill (i32.const 0))))
        (local.set $subs (i32.sub (local.get $subs) (i32.const 1)))
        (br_if $subblock (local.get $subs))))
    (v128.store (i32.const 0x0) (local.get $aa))
    (v128.store (i32.const 0x10) (local.get $bb))
    (v128.store (i32.const 0x20) (local.get $ab))
    (v128.store (i32.const 0x30) (local.get $ee))
    (v128.store (i32.const 0x50) (local.get $mx))
    (v128.store (i32.const 0x60) (local.get $eq))
    (i32.store (i32.const 0xA8) (local.get $fill))
    (f64.store (i32.const 0x130) (f64.add (f64.load (i32.const 0x130)) (local.get $finite))))
)
