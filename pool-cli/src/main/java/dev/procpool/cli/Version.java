package dev.procpool.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The project version, written into version.properties by the build. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        return new String[] {"procpool " + properties.getProperty("version", "(unknown version)"),
            "Java " + Runtime.version() + " at " + System.getProperty("java.home")};
    }
}
