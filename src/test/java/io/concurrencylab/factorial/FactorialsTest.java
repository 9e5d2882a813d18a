package io.concurrencylab.factorial;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FactorialsTest {
  /** Known values, written out: the independent check for small n. */
  @ParameterizedTest
  @CsvSource({"0,1", "1,1", "2,2", "10,3628800", "20,2432902008176640000", "25,15511210043330985984000000",
      "100,93326215443944152681699238856266700490715968264381621468592963895217599993229915608941463976156518286253697920827223758251185210916864000000000000000000000000"})
  void exactForKnownValues(int n, String expected) {
    assertThat(Factorials.factorial(n)).isEqualTo(new BigInteger(expected));
    assertThat(Factorials.naive(n)).isEqualTo(new BigInteger(expected));
  }

  /** Past the table of longs: the product tree, its leaves and every level of the odd part. */
  @ParameterizedTest
  @ValueSource(ints = {21, 22, 63, 64, 65, 1000, 4097, 30_000, 100_000})
  void agreesWithTheNaiveLoop(int n) {
    BigInteger fast = Factorials.factorial(n);
    assertThat(fast).isEqualTo(Factorials.naive(n));
    assertThat(Factorials.toDecimal(fast)).isEqualTo(fast.toString());
  }
}
