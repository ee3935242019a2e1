;; Hot loops of ckptscope's WASM scan kernels (core/scan/wasm/*-kernel.ts hold the rest).
;; Assembled by scripts/build-wasm.mjs (wabt) into scan-kernels.wasm.ts; see README.md here.
;;
;; Each kernel owns one instance (one memory) at a time. Memory layout, exported as globals so that
;; the TS side reads the offsets instead of repeating them (fixed addresses: the count loop's
;; `offset=` immediates need no base register, ~12% faster than a base added per element):
;;   TABLE0 0x00000  65536 u32 count bins
;;   TABLE1 0x40000  65536 u32 count bins (a second table: neighbouring equal codes do not wait on
;;                   each other's store)
;;   STAGE  0x80000  256 KiB: input bytes, copied in from JS one block at a time
;;   FOUND  0xC0000  4096 u32: positions reported by find16 / sums reported by foldPairs
;;   STATE  0xC4000  F32 scan state, 8 f64: min, max, total, sum, sumSquares, shift, zero, saturated
;;   MOMENTS 0xC4100 moments8 totals, 6 i64: count u=0x00, u=0xFF, u=0x80, u<0x80, sum u, sum u*u;
;;                   then v128 min of u (+48) and v128 max of u (+64). moments4 uses the same
;;                   block: 6 i64 counts zero, saturated, negative, subnormal, sum 2v (signed),
;;                   sum (2v)^2; then v128 min (+48) and max (+64) of 2v + 12 (unsigned)
;;   (then, in the arena instance only: read buffers the kernel scans in place; see scan-instance.ts)
;; All offsets and sizes are multiples of 16 (v128 loads).
(module
  (memory (export "memory") 13)
  (global (export "slotBytes") i32 (i32.const 0xD0000))
  (global (export "table0") i32 (i32.const 0x00000))
  (global (export "table1") i32 (i32.const 0x40000))
  (global (export "stage") i32 (i32.const 0x80000))
  (global (export "stageBytes") i32 (i32.const 0x40000))
  (global (export "found") i32 (i32.const 0xC0000))
  (global (export "foundCapacity") i32 (i32.const 4096))
  (global (export "state") i32 (i32.const 0xC4000))
  (global (export "moments") i32 (i32.const 0xC4100))

  ;; Counts the 16-bit little-endian codes in bytes [p, end) (end - p even): code c adds 1 to
  ;; bin c of TABLE0 or TABLE1 (alternating). Scalar on purpose: a histogram is bound by one
  ;; load + one store per code, and two tables keep runs of equal codes from stalling.
  (func (export "count16") (param $p i32) (param $end i32)
    (local $w i64)
    (local $a i32)
    (local $stop i32)
    ;; 16 bytes (8 codes) per iteration while p + 16 <= end.
    (local.set $stop (i32.sub (local.get $end) (i32.const 15)))
    (block $wide_done
      (loop $wide
        (br_if $wide_done (i32.ge_s (local.get $p) (local.get $stop)))
        (local.set $w (i64.load (local.get $p)))
        (local.set $a (i32.and (i32.shl (i32.wrap_i64 (local.get $w)) (i32.const 2)) (i32.const 0x3fffc)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32.and (i32.wrap_i64 (i64.shr_u (local.get $w) (i64.const 14))) (i32.const 0x3fffc)))
        (i32.store offset=0x40000 (local.get $a) (i32.add (i32.load offset=0x40000 (local.get $a)) (i32.const 1)))
        (local.set $a (i32.and (i32.wrap_i64 (i64.shr_u (local.get $w) (i64.const 30))) (i32.const 0x3fffc)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32.and (i32.wrap_i64 (i64.shr_u (local.get $w) (i64.const 46))) (i32.const 0x3fffc)))
        (i32.store offset=0x40000 (local.get $a) (i32.add (i32.load offset=0x40000 (local.get $a)) (i32.const 1)))
        (local.set $w (i64.load offset=8 (local.get $p)))
        (local.set $a (i32.and (i32.shl (i32.wrap_i64 (local.get $w)) (i32.const 2)) (i32.const 0x3fffc)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32.and (i32.wrap_i64 (i64.shr_u (local.get $w) (i64.const 14))) (i32.const 0x3fffc)))
        (i32.store offset=0x40000 (local.get $a) (i32.add (i32.load offset=0x40000 (local.get $a)) (i32.const 1)))
        (local.set $a (i32.and (i32.wrap_i64 (i64.shr_u (local.get $w) (i64.const 30))) (i32.const 0x3fffc)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32.and (i32.wrap_i64 (i64.shr_u (local.get $w) (i64.const 46))) (i32.const 0x3fffc)))
        (i32.store offset=0x40000 (local.get $a) (i32.add (i32.load offset=0x40000 (local.get $a)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $wide)))
    ;; The last < 8 codes, one at a time, into TABLE0.
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $a (i32.shl (i32.load16_u (local.get $p)) (i32.const 2)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $tail))))

  ;; The sum (mod 2^32) of the u32 words in bytes [p, end); both multiples of 16.
  (func (export "sum32") (param $p i32) (param $end i32) (result i32)
    (local $acc v128)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $acc (i32x4.add (local.get $acc) (v128.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $l)))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
      (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))

  ;; The sum (mod 2^32) of $n u32 words $stride bytes apart from $p (a column of a pair table).
  (func (export "sum32s") (param $p i32) (param $n i32) (param $stride i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (i32.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $acc))

  ;; TABLE0 += TABLE1, then TABLE1 = 0 (before reading the counts).
  (func (export "fold16")
    (local $p i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $p) (i32.const 0x40000)))
        (v128.store (local.get $p)
          (i32x4.add (v128.load (local.get $p)) (v128.load offset=0x40000 (local.get $p))))
        (v128.store offset=0x40000 (local.get $p) (v128.const i32x4 0 0 0 0))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $l))))

  ;; After fold16: the non-zero bins of TABLE0, ascending: their codes (u16) to STAGE and their
  ;; counts (u32) to TABLE1, overwriting it. Returns how many there are. (A JS loop over 65536 bins
  ;; per tensor costs more than the scan of a small tensor.)
  (func (export "compact16") (result i32)
    (local $p i32)
    (local $k i32)
    (local $n i32)
    (local $c i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $p) (i32.const 0x40000)))
        (if (v128.any_true (v128.load (local.get $p)))
          (then
            (local.set $k (local.get $p))
            (loop $lanes
              (local.set $c (i32.load (local.get $k)))
              (if (local.get $c)
                (then
                  (i32.store16 offset=0x80000 (i32.shl (local.get $n) (i32.const 1))
                    (i32.shr_u (local.get $k) (i32.const 2)))
                  (i32.store offset=0x40000 (i32.shl (local.get $n) (i32.const 2)) (local.get $c))
                  (local.set $n (i32.add (local.get $n) (i32.const 1)))))
              (local.set $k (i32.add (local.get $k) (i32.const 4)))
              (br_if $lanes (i32.lt_u (local.get $k) (i32.add (local.get $p) (i32.const 16)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $l)))
    (local.get $n))

  ;; Byte pairs counted by count16 (bin = low byte | high byte << 8, both tables), summed per byte:
  ;; FOUND[c] = sum over x of bins[x << 8 | c] (low bytes), FOUND[256 + c] = sum over x of
  ;; bins[c << 8 | x] (high bytes). Each sum is at most the number of pairs counted, below 2^32.
  (func (export "foldPairs")
    (local $row i32)
    (local $k i32)
    (local $v v128)
    (local $acc v128)
    (memory.fill (i32.const 0xC0000) (i32.const 0) (i32.const 2048))
    ;; 512 rows of 256 bins (1 KiB): TABLE0 then TABLE1; the row's high byte is (row / 1024) & 255.
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $row) (i32.const 0x80000)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $k) (i32.const 1024)))
            (local.set $v (v128.load (i32.add (local.get $row) (local.get $k))))
            (local.set $acc (i32x4.add (local.get $acc) (local.get $v)))
            (v128.store offset=0xC0000 (local.get $k)
              (i32x4.add (v128.load offset=0xC0000 (local.get $k)) (local.get $v)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $cols)))
        (local.set $k
          (i32.add (i32.const 0xC0400)
            (i32.shl (i32.and (i32.shr_u (local.get $row) (i32.const 10)) (i32.const 255)) (i32.const 2))))
        (i32.store (local.get $k)
          (i32.add (i32.load (local.get $k))
            (i32.add
              (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
              (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc))))))
        (local.set $row (i32.add (local.get $row) (i32.const 1024)))
        (br $rows))))

  ;; Finds the 16-bit codes in bytes [p, end) (p 16-aligned, end - p even) whose magnitude
  ;; (code & 0x7fff) is at least $limit: writes their positions (in codes from p) to FOUND, the
  ;; first foundCapacity of them, and returns how many there are.
  (func (export "find16") (param $p i32) (param $end i32) (param $limit i32) (result i32)
    (local $start i32)
    (local $stop i32)
    (local $bits i32)
    (local $n i32)
    (local $at i32)
    (local $mask v128)
    (local $lim v128)
    (local.set $start (local.get $p))
    (local.set $mask (i16x8.splat (i32.const 0x7fff)))
    (local.set $lim (i16x8.splat (local.get $limit)))
    (local.set $stop (i32.sub (local.get $end) (i32.const 15)))
    (block $wide_done
      (loop $wide
        (br_if $wide_done (i32.ge_s (local.get $p) (local.get $stop)))
        (local.set $bits
          (i16x8.bitmask
            (i16x8.ge_u (v128.and (v128.load (local.get $p)) (local.get $mask)) (local.get $lim))))
        ;; Rare: one position per set bit.
        (block $bits_done
          (loop $each
            (br_if $bits_done (i32.eqz (local.get $bits)))
            (local.set $at
              (i32.add (i32.shr_u (i32.sub (local.get $p) (local.get $start)) (i32.const 1))
                (i32.ctz (local.get $bits))))
            (if (i32.lt_u (local.get $n) (i32.const 4096))
              (then
                (i32.store offset=0xC0000 (i32.shl (local.get $n) (i32.const 2)) (local.get $at))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
            (br $each)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $wide)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $p) (local.get $end)))
        (if (i32.ge_u (i32.and (i32.load16_u (local.get $p)) (i32.const 0x7fff)) (local.get $limit))
          (then
            (if (i32.lt_u (local.get $n) (i32.const 4096))
              (then
                (i32.store offset=0xC0000 (i32.shl (local.get $n) (i32.const 2))
                  (i32.shr_u (i32.sub (local.get $p) (local.get $start)) (i32.const 1)))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $tail)))
    (local.get $n))

  ;; Finds the bytes b in [p, end) with $lo <= (b & $mask) <= $hi (the NaN/Inf bytes of an 8-bit
  ;; dtype): writes their positions (from p) to FOUND, the first foundCapacity of them, and returns
  ;; how many there are.
  (func (export "find8") (param $p i32) (param $end i32) (param $mask i32) (param $lo i32) (param $hi i32) (result i32)
    (local $start i32)
    (local $stop i32)
    (local $bits i32)
    (local $n i32)
    (local $at i32)
    (local $b i32)
    (local $vmask v128)
    (local $vlo v128)
    (local $vspan v128)
    (local.set $start (local.get $p))
    (local.set $vmask (i8x16.splat (local.get $mask)))
    (local.set $vlo (i8x16.splat (local.get $lo)))
    (local.set $vspan (i8x16.splat (i32.sub (local.get $hi) (local.get $lo))))
    (local.set $stop (i32.sub (local.get $end) (i32.const 15)))
    (block $wide_done
      (loop $wide
        (br_if $wide_done (i32.ge_s (local.get $p) (local.get $stop)))
        ;; (b & mask) - lo <= hi - lo, unsigned and wrapping: one compare for the range.
        (local.set $bits
          (i8x16.bitmask
            (i8x16.le_u
              (i8x16.sub (v128.and (v128.load (local.get $p)) (local.get $vmask)) (local.get $vlo))
              (local.get $vspan))))
        (block $bits_done
          (loop $each
            (br_if $bits_done (i32.eqz (local.get $bits)))
            (local.set $at
              (i32.add (i32.sub (local.get $p) (local.get $start)) (i32.ctz (local.get $bits))))
            (if (i32.lt_u (local.get $n) (i32.const 4096))
              (then
                (i32.store offset=0xC0000 (i32.shl (local.get $n) (i32.const 2)) (local.get $at))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
            (br $each)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $wide)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $b (i32.and (i32.load8_u (local.get $p)) (local.get $mask)))
        (if (i32.and (i32.ge_u (local.get $b) (local.get $lo)) (i32.le_u (local.get $b) (local.get $hi)))
          (then
            (if (i32.lt_u (local.get $n) (i32.const 4096))
              (then
                (i32.store offset=0xC0000 (i32.shl (local.get $n) (i32.const 2))
                  (i32.sub (local.get $p) (local.get $start)))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $tail)))
    (local.get $n))

  ;; binary32 parts in bytes [p, end), in order, exactly as Float32Kernel.scanBlock does it (same
  ;; comparisons, same f64 operations in the same order, so the sums are bit-identical):
  ;; TABLE0 bins [0, 512) count normal values by sign + biased exponent, [512, 576) subnormals by
  ;; sign * 32 + the position of their highest mantissa bit; STATE is read and written back.
  ;; NaN/Inf are skipped and counted: the result.
  (func (export "f32scan") (param $p i32) (param $end i32) (result i32)
    (local $bits i32)
    (local $se i32)
    (local $e i32)
    (local $m i32)
    (local $a i32)
    (local $zero i32)
    (local $saturated i32)
    (local $special i32)
    (local $v f64)
    (local $d f64)
    (local $min f64)
    (local $max f64)
    (local $total f64)
    (local $sum f64)
    (local $squares f64)
    (local $shift f64)
    (local.set $min (f64.load offset=0xC4000 (i32.const 0)))
    (local.set $max (f64.load offset=0xC4008 (i32.const 0)))
    (local.set $total (f64.load offset=0xC4010 (i32.const 0)))
    (local.set $sum (f64.load offset=0xC4018 (i32.const 0)))
    (local.set $squares (f64.load offset=0xC4020 (i32.const 0)))
    (local.set $shift (f64.load offset=0xC4028 (i32.const 0)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $bits (i32.load (local.get $p)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $se (i32.shr_u (local.get $bits) (i32.const 23)))
        (local.set $e (i32.and (local.get $se) (i32.const 0xff)))
        (if (i32.eq (local.get $e) (i32.const 0xff))
          (then
            (local.set $special (i32.add (local.get $special) (i32.const 1)))
            (br $l)))
        (if (local.get $e)
          (then
            (local.set $a (i32.shl (local.get $se) (i32.const 2)))
            (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
            ;; |bits| = 0x7F7FFFFF: the largest finite binary32.
            (local.set $saturated
              (i32.add (local.get $saturated)
                (i32.eq (i32.and (local.get $bits) (i32.const 0x7fffffff)) (i32.const 0x7f7fffff)))))
          (else
            (local.set $m (i32.and (local.get $bits) (i32.const 0x7fffff)))
            (if (i32.eqz (local.get $m))
              (then
                (local.set $zero (i32.add (local.get $zero) (i32.const 1))))
              (else
                (local.set $a
                  (i32.shl
                    (i32.add
                      (i32.add (i32.const 512) (i32.and (i32.shr_u (local.get $bits) (i32.const 26)) (i32.const 32)))
                      (i32.sub (i32.const 31) (i32.clz (local.get $m))))
                    (i32.const 2)))
                (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))))))
        (local.set $v (f64.promote_f32 (f32.reinterpret_i32 (local.get $bits))))
        (local.set $min (select (local.get $v) (local.get $min) (f64.lt (local.get $v) (local.get $min))))
        (local.set $max (select (local.get $v) (local.get $max) (f64.gt (local.get $v) (local.get $max))))
        (local.set $total (f64.add (local.get $total) (local.get $v)))
        (local.set $d (f64.sub (local.get $v) (local.get $shift)))
        (local.set $sum (f64.add (local.get $sum) (local.get $d)))
        (local.set $squares (f64.add (local.get $squares) (f64.mul (local.get $d) (local.get $d))))
        (br $l)))
    (f64.store offset=0xC4000 (i32.const 0) (local.get $min))
    (f64.store offset=0xC4008 (i32.const 0) (local.get $max))
    (f64.store offset=0xC4010 (i32.const 0) (local.get $total))
    (f64.store offset=0xC4018 (i32.const 0) (local.get $sum))
    (f64.store offset=0xC4020 (i32.const 0) (local.get $squares))
    (f64.store offset=0xC4030 (i32.const 0)
      (f64.add (f64.load offset=0xC4030 (i32.const 0)) (f64.convert_i32_u (local.get $zero))))
    (f64.store offset=0xC4038 (i32.const 0)
      (f64.add (f64.load offset=0xC4038 (i32.const 0)) (f64.convert_i32_u (local.get $saturated))))
    (local.get $special))

  ;; The sum of the four u32 lanes of $v, as an i64.
  (func $lanes32 (param $v v128) (result i64)
    (i64.add
      (i64.add
        (i64.extend_i32_u (i32x4.extract_lane 0 (local.get $v)))
        (i64.extend_i32_u (i32x4.extract_lane 1 (local.get $v))))
      (i64.add
        (i64.extend_i32_u (i32x4.extract_lane 2 (local.get $v)))
        (i64.extend_i32_u (i32x4.extract_lane 3 (local.get $v))))))

  ;; Adds $n to the i64 at byte $a.
  (func $add64 (param $a i32) (param $n i64)
    (i64.store (local.get $a) (i64.add (i64.load (local.get $a)) (local.get $n))))

  ;; Integer moments of the bytes in [p, end) (end - p a multiple of 16, at most 8 MiB per call so
  ;; no u32 lane total can wrap): each byte b is read as u = b ^ $bias (0 for U8; 0x80 for I8,
  ;; which turns signed order into unsigned) and added to MOMENTS. No histogram: every total is an
  ;; exact integer, so the result does not depend on how the bytes are split between calls.
  ;; Blocks of 128 vectors keep the u8 lane counters (<= 128) and u16 lane sums (<= 128 * 510) from
  ;; wrapping; each block is widened into u32 lane totals (squares into i64 lanes) before the next.
  (func (export "moments8") (param $p i32) (param $end i32) (param $bias i32)
    (local $u v128)
    (local $vbias v128)
    (local $c00 v128)
    (local $cff v128)
    (local $c80 v128)
    (local $clo v128)
    (local $s16 v128)
    (local $sq32 v128)
    (local $t00 v128)
    (local $tff v128)
    (local $t80 v128)
    (local $tlo v128)
    (local $tsum v128)
    (local $sq v128)
    (local $mn v128)
    (local $mx v128)
    (local $stop i32)
    (local.set $vbias (i8x16.splat (local.get $bias)))
    (local.set $mn (v128.load offset=0xC4130 (i32.const 0)))
    (local.set $mx (v128.load offset=0xC4140 (i32.const 0)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $stop (select
          (local.get $end)
          (i32.add (local.get $p) (i32.const 2048))
          (i32.lt_u (i32.sub (local.get $end) (local.get $p)) (i32.const 2048))))
        (local.set $c00 (v128.const i32x4 0 0 0 0))
        (local.set $cff (v128.const i32x4 0 0 0 0))
        (local.set $c80 (v128.const i32x4 0 0 0 0))
        (local.set $clo (v128.const i32x4 0 0 0 0))
        (local.set $s16 (v128.const i32x4 0 0 0 0))
        (local.set $sq32 (v128.const i32x4 0 0 0 0))
        (block $block_done
          (loop $vectors
            (br_if $block_done (i32.ge_u (local.get $p) (local.get $stop)))
            (local.set $u (v128.xor (v128.load (local.get $p)) (local.get $vbias)))
            ;; A lane comparison is -1 where true: subtracting it counts.
            (local.set $c00 (i8x16.sub (local.get $c00)
              (i8x16.eq (local.get $u) (v128.const i32x4 0 0 0 0))))
            (local.set $cff (i8x16.sub (local.get $cff)
              (i8x16.eq (local.get $u) (v128.const i32x4 -1 -1 -1 -1))))
            (local.set $c80 (i8x16.sub (local.get $c80)
              (i8x16.eq (local.get $u) (v128.const i8x16 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80))))
            (local.set $clo (i8x16.sub (local.get $clo)
              (i8x16.lt_u (local.get $u) (v128.const i8x16 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80))))
            (local.set $mn (i8x16.min_u (local.get $mn) (local.get $u)))
            (local.set $mx (i8x16.max_u (local.get $mx) (local.get $u)))
            (local.set $s16 (i16x8.add (local.get $s16) (i16x8.extadd_pairwise_i8x16_u (local.get $u))))
            (local.set $sq32 (i32x4.add (local.get $sq32)
              (i32x4.add
                (i32x4.extadd_pairwise_i16x8_u (i16x8.extmul_low_i8x16_u (local.get $u) (local.get $u)))
                (i32x4.extadd_pairwise_i16x8_u (i16x8.extmul_high_i8x16_u (local.get $u) (local.get $u))))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $vectors)))
        (local.set $t00 (i32x4.add (local.get $t00)
          (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $c00)))))
        (local.set $tff (i32x4.add (local.get $tff)
          (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $cff)))))
        (local.set $t80 (i32x4.add (local.get $t80)
          (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $c80)))))
        (local.set $tlo (i32x4.add (local.get $tlo)
          (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $clo)))))
        (local.set $tsum (i32x4.add (local.get $tsum) (i32x4.extadd_pairwise_i16x8_u (local.get $s16))))
        (local.set $sq (i64x2.add (local.get $sq)
          (i64x2.add (i64x2.extend_low_i32x4_u (local.get $sq32)) (i64x2.extend_high_i32x4_u (local.get $sq32)))))
        (br $blocks)))
    (call $add64 (i32.const 0xC4100) (call $lanes32 (local.get $t00)))
    (call $add64 (i32.const 0xC4108) (call $lanes32 (local.get $tff)))
    (call $add64 (i32.const 0xC4110) (call $lanes32 (local.get $t80)))
    (call $add64 (i32.const 0xC4118) (call $lanes32 (local.get $tlo)))
    (call $add64 (i32.const 0xC4120) (call $lanes32 (local.get $tsum)))
    (call $add64 (i32.const 0xC4128)
      (i64.add (i64x2.extract_lane 0 (local.get $sq)) (i64x2.extract_lane 1 (local.get $sq))))
    (v128.store offset=0xC4130 (i32.const 0) (local.get $mn))
    (v128.store offset=0xC4140 (i32.const 0) (local.get $mx)))
  ;; F4 (OCP E2M1, two codes per byte) moments of the bytes in [p, end) (end - p a multiple of 16, at
  ;; most 8 MiB per call so no u32 lane total can wrap), added to MOMENTS. Code c (the low and the
  ;; high nibble of every byte) has the value v = ($twice[c] - 12) / 2: sums of 2v and (2v)^2 are
  ;; exact integers, so, like moments8, the result does not depend on how the bytes are split.
  ;; Each v128 (32 codes) takes three swizzle tables per nibble (a swizzle is 2-3 instructions, the
  ;; most of the loop): 2v + 12 in [0, 24] (its min and max, and its sum, kept in bytes for a group
  ;; of 5 vectors: <= 240); (2v)^2 but for |v| = 6 (so a pair sums to <= 128, one byte; 144 per
  ;; saturated code is added back at the end); and four flags in 2-bit fields (a pair sums to <= 2
  ;; per field), spread into 4-bit fields that a group fills to <= 10.
  ;; Group totals are widened into u16 lane sums, and those into u32 lane totals after each block
  ;; of 50 groups (250 vectors: squares <= 250 * 256 < 65536).
  (func (export "moments4") (param $p i32) (param $end i32)
    (local $v v128)
    (local $lo v128)
    (local $hi v128)
    (local $a v128)
    (local $b v128)
    (local $f v128)
    (local $nibble v128)
    (local $fields v128)
    (local $twice v128)
    (local $square v128)
    (local $flags v128)
    (local $mn v128)
    (local $mx v128)
    (local $top v128)
    (local $gS v128)
    (local $gA v128)
    (local $gB v128)
    (local $s16 v128)
    (local $q16 v128)
    (local $z16 v128)
    (local $sat16 v128)
    (local $neg16 v128)
    (local $sub16 v128)
    (local $ts v128)
    (local $tq v128)
    (local $tz v128)
    (local $tsat v128)
    (local $tneg v128)
    (local $tsub v128)
    (local $codes i64)
    (local $blockStop i32)
    (local $groupStop i32)
    (local $final i32)
    (local $saturated i64)
    ;; Two codes per byte.
    (local.set $codes (i64.shl (i64.extend_i32_u (i32.sub (local.get $end) (local.get $p))) (i64.const 1)))
    (local.set $nibble (i8x16.splat (i32.const 0x0f)))
    (local.set $fields (i8x16.splat (i32.const 0x33)))
    ;; Codes 0-7: 0 0.5 1 1.5 2 3 4 6; codes 8-15 their negatives (8 is -0). 2v + 12:
    (local.set $twice (v128.const i8x16 12 13 14 15 16 18 20 24 12 11 10 9 8 6 4 0))
    (local.set $top (i8x16.splat (i32.const 24)))
    (local.set $square (v128.const i8x16 0 1 4 9 16 36 64 0 0 1 4 9 16 36 64 0))
    ;; Bits 0-1 zero (|v| = 0: codes 0, 8), 2-3 saturated (|v| = 6: codes 7, 15), 4-5 negative
    ;; (v < 0: codes 9-15, not -0), 6-7 subnormal (|v| = 0.5: codes 1, 9).
    (local.set $flags (v128.const i8x16 1 64 0 0 0 0 0 4 1 80 16 16 16 16 16 20))
    (local.set $mn (v128.load offset=0xC4130 (i32.const 0)))
    (local.set $mx (v128.load offset=0xC4140 (i32.const 0)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $blockStop (select
          (local.get $end)
          (i32.add (local.get $p) (i32.const 4000))
          (i32.lt_u (i32.sub (local.get $end) (local.get $p)) (i32.const 4000))))
        ;; Once some lane has seen 2v + 12 = 0 and some lane 24 (v = -6 and 6: every E2M1 value
        ;; lies between), min and max are final: the block's groups skip them (4 of ~26 SIMD ops).
        (local.set $final (i32.and
          (v128.any_true (i8x16.eq (local.get $mn) (v128.const i32x4 0 0 0 0)))
          (v128.any_true (i8x16.eq (local.get $mx) (local.get $top)))))
        (local.set $s16 (v128.const i32x4 0 0 0 0))
        (local.set $q16 (v128.const i32x4 0 0 0 0))
        (local.set $z16 (v128.const i32x4 0 0 0 0))
        (local.set $sat16 (v128.const i32x4 0 0 0 0))
        (local.set $neg16 (v128.const i32x4 0 0 0 0))
        (local.set $sub16 (v128.const i32x4 0 0 0 0))
        (block $block_done
          (loop $groups
            (br_if $block_done (i32.ge_u (local.get $p) (local.get $blockStop)))
            (local.set $groupStop (select
              (local.get $blockStop)
              (i32.add (local.get $p) (i32.const 80))
              (i32.lt_u (i32.sub (local.get $blockStop) (local.get $p)) (i32.const 80))))
            (local.set $gS (v128.const i32x4 0 0 0 0))
            (local.set $gA (v128.const i32x4 0 0 0 0))
            (local.set $gB (v128.const i32x4 0 0 0 0))
            (if (local.get $final)
              (then
                (block $fast_done
                  (loop $fast_vectors
                    (br_if $fast_done (i32.ge_u (local.get $p) (local.get $groupStop)))
                    (local.set $v (v128.load (local.get $p)))
                    (local.set $lo (v128.and (local.get $v) (local.get $nibble)))
                    (local.set $hi (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $nibble)))
                    (local.set $a (i8x16.swizzle (local.get $twice) (local.get $lo)))
                    (local.set $b (i8x16.swizzle (local.get $twice) (local.get $hi)))
                    (local.set $gS (i8x16.add (local.get $gS) (i8x16.add (local.get $a) (local.get $b))))
                    (local.set $q16 (i16x8.add (local.get $q16)
                      (i16x8.extadd_pairwise_i8x16_u
                        (i8x16.add
                          (i8x16.swizzle (local.get $square) (local.get $lo))
                          (i8x16.swizzle (local.get $square) (local.get $hi))))))
                    (local.set $f (i8x16.add
                      (i8x16.swizzle (local.get $flags) (local.get $lo))
                      (i8x16.swizzle (local.get $flags) (local.get $hi))))
                    ;; Bits a neighbouring byte shifts in land in bits 6-7: masked off.
                    (local.set $gA (i8x16.add (local.get $gA) (v128.and (local.get $f) (local.get $fields))))
                    (local.set $gB (i8x16.add (local.get $gB)
                      (v128.and (i16x8.shr_u (local.get $f) (i32.const 2)) (local.get $fields))))
                    (local.set $p (i32.add (local.get $p) (i32.const 16)))
                    (br $fast_vectors)))
              )
              (else
                (block $group_done
                  (loop $vectors
                    (br_if $group_done (i32.ge_u (local.get $p) (local.get $groupStop)))
                    (local.set $v (v128.load (local.get $p)))
                    (local.set $lo (v128.and (local.get $v) (local.get $nibble)))
                    (local.set $hi (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $nibble)))
                    (local.set $a (i8x16.swizzle (local.get $twice) (local.get $lo)))
                    (local.set $b (i8x16.swizzle (local.get $twice) (local.get $hi)))
                    (local.set $mn (i8x16.min_u (local.get $mn) (i8x16.min_u (local.get $a) (local.get $b))))
                    (local.set $mx (i8x16.max_u (local.get $mx) (i8x16.max_u (local.get $a) (local.get $b))))
                    (local.set $gS (i8x16.add (local.get $gS) (i8x16.add (local.get $a) (local.get $b))))
                    (local.set $q16 (i16x8.add (local.get $q16)
                      (i16x8.extadd_pairwise_i8x16_u
                        (i8x16.add
                          (i8x16.swizzle (local.get $square) (local.get $lo))
                          (i8x16.swizzle (local.get $square) (local.get $hi))))))
                    (local.set $f (i8x16.add
                      (i8x16.swizzle (local.get $flags) (local.get $lo))
                      (i8x16.swizzle (local.get $flags) (local.get $hi))))
                    ;; Bits a neighbouring byte shifts in land in bits 6-7: masked off.
                    (local.set $gA (i8x16.add (local.get $gA) (v128.and (local.get $f) (local.get $fields))))
                    (local.set $gB (i8x16.add (local.get $gB)
                      (v128.and (i16x8.shr_u (local.get $f) (i32.const 2)) (local.get $fields))))
                    (local.set $p (i32.add (local.get $p) (i32.const 16)))
                    (br $vectors)))
              ))
            (local.set $s16 (i16x8.add (local.get $s16) (i16x8.extadd_pairwise_i8x16_u (local.get $gS))))
            (local.set $z16 (i16x8.add (local.get $z16)
              (i16x8.extadd_pairwise_i8x16_u (v128.and (local.get $gA) (local.get $nibble)))))
            (local.set $neg16 (i16x8.add (local.get $neg16)
              (i16x8.extadd_pairwise_i8x16_u (i8x16.shr_u (local.get $gA) (i32.const 4)))))
            (local.set $sat16 (i16x8.add (local.get $sat16)
              (i16x8.extadd_pairwise_i8x16_u (v128.and (local.get $gB) (local.get $nibble)))))
            (local.set $sub16 (i16x8.add (local.get $sub16)
              (i16x8.extadd_pairwise_i8x16_u (i8x16.shr_u (local.get $gB) (i32.const 4)))))
            (br $groups)))
        (local.set $ts (i32x4.add (local.get $ts) (i32x4.extadd_pairwise_i16x8_u (local.get $s16))))
        (local.set $tq (i32x4.add (local.get $tq) (i32x4.extadd_pairwise_i16x8_u (local.get $q16))))
        (local.set $tz (i32x4.add (local.get $tz) (i32x4.extadd_pairwise_i16x8_u (local.get $z16))))
        (local.set $tsat (i32x4.add (local.get $tsat) (i32x4.extadd_pairwise_i16x8_u (local.get $sat16))))
        (local.set $tneg (i32x4.add (local.get $tneg) (i32x4.extadd_pairwise_i16x8_u (local.get $neg16))))
        (local.set $tsub (i32x4.add (local.get $tsub) (i32x4.extadd_pairwise_i16x8_u (local.get $sub16))))
        (br $blocks)))
    (local.set $saturated (call $lanes32 (local.get $tsat)))
    (call $add64 (i32.const 0xC4100) (call $lanes32 (local.get $tz)))
    (call $add64 (i32.const 0xC4108) (local.get $saturated))
    (call $add64 (i32.const 0xC4110) (call $lanes32 (local.get $tneg)))
    (call $add64 (i32.const 0xC4118) (call $lanes32 (local.get $tsub)))
    ;; sum of 2v = sum of (2v + 12) - 12 per code.
    (call $add64 (i32.const 0xC4120)
      (i64.sub (call $lanes32 (local.get $ts)) (i64.mul (local.get $codes) (i64.const 12))))
    (call $add64 (i32.const 0xC4128)
      (i64.add (call $lanes32 (local.get $tq)) (i64.mul (local.get $saturated) (i64.const 144))))
    (v128.store offset=0xC4130 (i32.const 0) (local.get $mn))
    (v128.store offset=0xC4140 (i32.const 0) (local.get $mx)))
)
