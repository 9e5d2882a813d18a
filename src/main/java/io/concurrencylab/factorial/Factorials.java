package io.concurrencylab.factorial;

import java.math.BigInteger;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;

/**
 * Exact factorials, fast: plain maths, no Vert.x (the worker verticle calls it on a worker thread).
 *
 * <p>n! = O(n) * 2^(n - popcount(n)), where O(n), the odd part, is the product over j of Q_j^(j+1), and Q_j the
 * product of the odd numbers in (n/2^(j+1), n/2^j]. The powers of two become one shift; each Q_j is a balanced
 * product tree (so BigInteger multiplies numbers of similar size, where Karatsuba and Toom-Cook pay off); big
 * subtrees and the largest multiplications are split over the common fork-join pool, i.e. over every core.
 */
public final class Factorials {
  private Factorials() {}

  /** Below this many factors a product tree is computed on the calling thread. */
  private static final int PARALLEL_FACTORS = 2_048;
  /** Multiplications where both sides have at least this many bits are split into four parallel halves. */
  private static final int PARALLEL_MULTIPLY_BITS = 400_000;
  /** Numbers of at least this many bits are converted to decimal in two halves in parallel. */
  private static final int PARALLEL_DECIMAL_BITS = 200_000;

  /** n! for n >= 0. */
  public static BigInteger factorial(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    if (n < 2) {
      return BigInteger.ONE;
    }
    return ForkJoinPool.commonPool().invoke(new OddPart(n)).shiftLeft(n - Integer.bitCount(n));
  }

  /** The textbook loop, 1 * 2 * ... * n: the baseline the benchmark compares against. */
  public static BigInteger naive(int n) {
    BigInteger result = BigInteger.ONE;
    for (int i = 2; i <= n; i++) {
      result = result.multiply(BigInteger.valueOf(i));
    }
    return result;
  }

  /** The decimal digits of {@code x >= 0}; for very large x, the two halves are converted in parallel. */
  public static String toDecimal(BigInteger x) {
    if (x.bitLength() < PARALLEL_DECIMAL_BITS) {
      return x.toString();
    }
    // Split at 10^k with k about half the digits: high and low halves convert independently.
    int k = (int) (x.bitLength() * Math.log10(2) / 2);
    BigInteger[] qr = x.divideAndRemainder(BigInteger.TEN.pow(k));
    RecursiveTask<String> low = task(() -> qr[1].toString());
    low.fork();
    String high = qr[0].toString();
    String lowDigits = low.join();
    StringBuilder sb = new StringBuilder(high.length() + k).append(high);
    sb.append("0".repeat(k - lowDigits.length())).append(lowDigits);
    return sb.toString();
  }

  /** O(n) combined Luschny-style: p accumulates Q_L..Q_j, r the product of every p, giving Q_j^(j+1) overall. */
  private static final class OddPart extends RecursiveTask<BigInteger> {
    private final int n;

    OddPart(int n) {
      this.n = n;
    }

    @Override
    protected BigInteger compute() {
      int levels = 32 - Integer.numberOfLeadingZeros(n); // Q_j is empty once n >> j < 3
      OddRange[] q = new OddRange[levels];
      for (int j = 0; j < levels; j++) {
        q[j] = new OddRange(n >> (j + 1), n >> j);
      }
      invokeAll(q);
      BigInteger p = BigInteger.ONE;
      BigInteger r = BigInteger.ONE;
      for (int j = levels - 1; j >= 0; j--) {
        p = multiply(p, q[j].join());
        r = multiply(r, p);
      }
      return r;
    }
  }

  /** The product of the odd numbers in (lo, hi], as a balanced tree. */
  private static final class OddRange extends RecursiveTask<BigInteger> {
    private final long lo;
    private final long hi;

    OddRange(long lo, long hi) {
      this.lo = lo;
      this.hi = hi;
    }

    @Override
    protected BigInteger compute() {
      long first = (lo + 1) | 1; // the first odd number above lo
      long count = first > hi ? 0 : (hi - first) / 2 + 1;
      if (count < PARALLEL_FACTORS) {
        return product(first, count);
      }
      long mid = lo + 2 * (count / 2); // split the odd numbers in two equal halves
      OddRange left = new OddRange(lo, mid);
      left.fork();
      BigInteger right = new OddRange(mid, hi).compute();
      return multiply(left.join(), right);
    }

    /** count consecutive odd numbers from first, as a sequential balanced tree (longs at the leaves). */
    private static BigInteger product(long first, long count) {
      if (count <= 0) {
        return BigInteger.ONE;
      }
      if (count <= 2) {
        return BigInteger.valueOf(count == 1 ? first : first * (first + 2));
      }
      long half = count / 2;
      return product(first, half).multiply(product(first + 2 * half, count - half));
    }
  }

  /**
   * a * b; when both are huge, as four half-size products computed in parallel (the top multiplications dominate
   * and BigInteger on Java 17 has no parallel multiply of its own).
   */
  static BigInteger multiply(BigInteger a, BigInteger b) {
    if (a.bitLength() < PARALLEL_MULTIPLY_BITS || b.bitLength() < PARALLEL_MULTIPLY_BITS) {
      return a.multiply(b);
    }
    int k = Math.min(a.bitLength(), b.bitLength()) / 2;
    BigInteger a1 = a.shiftRight(k);
    BigInteger a0 = a.subtract(a1.shiftLeft(k));
    BigInteger b1 = b.shiftRight(k);
    BigInteger b0 = b.subtract(b1.shiftLeft(k));
    RecursiveTask<BigInteger> hh = task(() -> a1.multiply(b1));
    RecursiveTask<BigInteger> hl = task(() -> a1.multiply(b0));
    hh.fork();
    hl.fork();
    BigInteger ll = a0.multiply(b0);
    BigInteger lh = a0.multiply(b1);
    return hh.join().shiftLeft(2 * k).add(hl.join().add(lh).shiftLeft(k)).add(ll);
  }

  private static <T> RecursiveTask<T> task(java.util.function.Supplier<T> body) {
    return new RecursiveTask<>() {
      @Override
      protected T compute() {
        return body.get();
      }
    };
  }
}
