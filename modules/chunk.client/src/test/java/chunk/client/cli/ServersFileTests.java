package chunk.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import chunk.client.ServerAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServersFileTests {

    private static ServersFile.Contents parse(String... lines) throws ServersFile.InvalidException {
        return ServersFile.parse(List.of(lines), "servers.txt");
    }

    @Nested
    class AGoodFile {

        @Test
        void listsHostNamesAddressesAndLocalhostInOrder() throws Exception {
            assertThat(parse("localhost 4000", "127.0.0.1 4001", "files.example.org 80", "::1 4002", "[fe80::1] 4003").servers())
                    .containsExactly(ServerAddress.of("localhost", 4000), ServerAddress.of("127.0.0.1", 4001),
                            ServerAddress.of("files.example.org", 80), ServerAddress.of("::1", 4002),
                            ServerAddress.of("fe80::1", 4003));
        }

        @Test
        void mayHaveBlankLinesCommentsAndExtraSpaces() throws Exception {
            var contents = parse("# the servers", "", "   ", "  localhost\t4000   # first", "#localhost 5000", "");

            assertThat(contents.servers()).containsExactly(ServerAddress.of("localhost", 4000));
            assertThat(contents.notes()).isEmpty();
        }

        @Test
        void usesTheFirstTwentyServersAndSaysOnceThatTheRestAreIgnored() throws Exception {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 23; i++) {
                lines.add("localhost " + (4000 + i));
            }
            var contents = ServersFile.parse(lines, "servers.txt");

            assertThat(contents.servers()).hasSize(20).last().isEqualTo(ServerAddress.of("localhost", 4019));
            assertThat(contents.notes()).containsExactly(
                    "servers.txt:21: only the first 20 servers are used; 3 more servers are ignored");
        }

        @Test
        void listsAServerGivenTwiceOnceSoThatItCannotOutvoteTheOthers() throws Exception {
            var contents = ServersFile.parse(List.of("127.0.0.1 4000", "127.0.0.1 4001", "127.0.0.1 4001", "[::1] 4002",
                    "::1 4002", "LOCALHOST 4003", "localhost 4003"), "servers.txt");

            assertThat(contents.servers()).containsExactly(ServerAddress.of("127.0.0.1", 4000),
                    ServerAddress.of("127.0.0.1", 4001), ServerAddress.of("::1", 4002), ServerAddress.of("LOCALHOST", 4003));
            assertThat(contents.notes()).containsExactly(
                    "servers.txt:3: 127.0.0.1:4001 is listed already on line 2; it is used once",
                    "servers.txt:5: [::1]:4002 is listed already on line 4; it is used once",
                    "servers.txt:7: localhost:4003 is listed already on line 6; it is used once");
        }
    }

    @Nested
    class ABadFile {

        @ParameterizedTest(name = "''{0}''")
        @CsvSource(delimiter = '|', value = {
            "localhost|servers.txt:2: expected 'host port' or a folder's URL, found 'localhost'",
            "localhost 4000 5000|servers.txt:2: expected 'host port' or a folder's URL, found 'localhost 4000 5000'",
            "localhost port|servers.txt:2: the port must be a number from 1 to 65535, not 'port'",
            "localhost 0|servers.txt:2: the port must be a number from 1 to 65535, not '0'",
            "localhost 65536|servers.txt:2: the port must be a number from 1 to 65535, not '65536'",
            "localhost -1|servers.txt:2: the port must be a number from 1 to 65535, not '-1'",
            "bad/host 4000|servers.txt:2: 'bad/host' is not a host name or address",
            "[localhost] 4000|servers.txt:2: '[localhost]' is not an IPv6 address",
        })
        void isReportedAsFileLineAndWhatIsWrong(String line, String message) {
            assertThatExceptionOfType(ServersFile.InvalidException.class)
                    .isThrownBy(() -> parse("localhost 4000", line))
                    .withMessage(message);
        }

        @Test
        void isReportedEvenPastTheTwentiethServer() {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 21; i++) {
                lines.add("localhost " + (4000 + i));
            }
            lines.add("oops");
            assertThatExceptionOfType(ServersFile.InvalidException.class)
                    .isThrownBy(() -> ServersFile.parse(lines, "servers.txt"))
                    .withMessageStartingWith("servers.txt:22: ");
        }

        @Test
        void listsNoServerWhenItHasOnlyComments() {
            assertThatExceptionOfType(ServersFile.InvalidException.class)
                    .isThrownBy(() -> parse("# nothing", ""))
                    .withMessage("servers.txt: no servers listed; write one 'host port' or folder URL a line");
        }

        @Test
        void isOneThatDoesNotExist(@TempDir Path folder) {
            assertThatExceptionOfType(ServersFile.InvalidException.class)
                    .isThrownBy(() -> ServersFile.read(folder.resolve("missing.txt"), "missing.txt"))
                    .withMessage("cannot read servers file missing.txt: no such file");
        }

        @Test
        void isOneThatIsNotText(@TempDir Path folder) throws Exception {
            Path binary = Files.write(folder.resolve("servers.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
            assertThatExceptionOfType(ServersFile.InvalidException.class)
                    .isThrownBy(() -> ServersFile.read(binary, "servers.bin"))
                    .withMessageContaining("not UTF-8");
        }
    }
}
