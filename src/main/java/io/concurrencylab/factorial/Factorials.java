package io.concurrencylab.factorial;

import java.math.BigInteger;

/**
 * Exact factorials, fast: plain maths, no Vert.x, and no thread of its own: all of it runs on the calling thread
 * (the worker verticle's), so {@code factorial.instances} bounds the threads that compute, and the thread a reply
 * names is the one that did the work.
 *
 * <p>n! = O(n) * 2^(n - popcount(n)), where O(n), the odd part, is the product over j of Q_j^(j+1), and Q_j the
 * product of the odd numbers in (n/2^(j+1), n/2^j]. The powers of two become one shift; each Q_j is a balanced
 * product tree, so BigInteger multiplies numbers of similar size, where Karatsuba and Toom-Cook pay off. Up to 20!
 * the value fits a long: a table.
 */
public final class Factorials {
  private Factorials() {}

  private static final long[] SMALL = new long[21];

  static {
    SMALL[0] = 1;
    for (int i = 1; i < SMALL.length; i++) {
      SMALL[i] = SMALL[i - 1] * i;
    }
  }

  /** n! for n >= 0. */
  public static BigInteger factorial(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    if (n < SMALL.length) {
      return BigInteger.valueOf(SMALL[n]);
    }
    return oddPart(n).shiftLeft(n - Integer.bitCount(n));
  }

  /** The textbook loop, 1 * 2 * ... * n: the baseline the benchmark compares against. */
  public static BigInteger naive(int n) {
    BigInteger result = BigInteger.ONE;
    for (int i = 2; i <= n; i++) {
      result = result.multiply(BigInteger.valueOf(i));
    }
    return result;
  }

  /** The decimal digits of {@code x >= 0} (BigInteger's own conversion: recursive, subquadratic for large x). */
  public static String toDecimal(BigInteger x) {
    return x.toString();
  }

  /** O(n) combined Luschny-style: p accumulates Q_L..Q_j, r the product of every p, giving Q_j^(j+1) overall. */
  private static BigInteger oddPart(int n) {
    BigInteger p = BigInteger.ONE;
    BigInteger r = BigInteger.ONE;
    for (int j = 31 - Integer.numberOfLeadingZeros(n); j >= 0; j--) { // Q_j is empty once n >> j < 3
      p = p.multiply(oddProduct(n >> (j + 1), n >> j));
      r = r.multiply(p);
    }
    return r;
  }

  /** The product of the odd numbers in (lo, hi], as a balanced tree. */
  private static BigInteger oddProduct(long lo, long hi) {
    long first = (lo + 1) | 1; // the first odd number above lo
    return product(first, first > hi ? 0 : (hi - first) / 2 + 1);
  }

  /** count consecutive odd numbers from first, as a balanced tree (longs at the leaves). */
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
