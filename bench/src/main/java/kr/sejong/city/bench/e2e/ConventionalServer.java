package kr.sejong.city.bench.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import kr.sejong.city.bench.Junctions;
import kr.sejong.city.core.loops.signal.IntersectionModel;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The conventional service stack the node is compared with, built the way a team would build it without
 * this architecture, on the same decision ({@link JsonMessages#decide}, i.e. {@link MaxPressureDecision}):
 * <ul>
 *   <li>JSON lines over TCP: a {@link ServerSocket}, a reader thread per connection ({@link Socket},
 *       blocking I/O), Jackson to parse and write;</li>
 *   <li>a {@link BlockingQueue} between the socket readers and a thread pool ({@link ExecutorService},
 *       {@link #WORKERS} threads: more than cores, since they block on the disk) that handles each request;</li>
 *   <li>for durability, a synchronous write per message: the request and its reply appended to a journal
 *       file ({@link FileChannel#write}) and forced to disk ({@link FileChannel#force}{@code (false)}, an
 *       fdatasync) before the reply goes out;</li>
 *   <li>the reply written back as JSON on the request's connection.</li>
 * </ul>
 */
public final class ConventionalServer implements AutoCloseable
{
    /** Worker threads of the pool. */
    public static final int WORKERS = 16;
    /** Requests the queue holds before the socket readers block (and TCP pushes back on the clients). */
    public static final int QUEUE_CAPACITY = 65_536;

    private final ObjectMapper mapper = new ObjectMapper();
    private final IntersectionModel model = Junctions.model(0);
    private final ServerSocket serverSocket;
    private final FileChannel journal;
    private final boolean fsync;
    private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final ExecutorService pool = Executors.newFixedThreadPool(WORKERS, daemon("conventional-worker"));
    private final List<Connection> connections = new ArrayList<>();
    private final Thread acceptor;
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong undelivered = new AtomicLong();
    private volatile boolean running = true;

    private record Job(Connection connection, String line)
    {
    }

    /**
     * @param journalFile where every request and reply is appended
     * @param fsync       force each write to disk (the stack as built); false only to see what the fsync costs
     */
    public ConventionalServer(final Path journalFile, final boolean fsync) throws IOException
    {
        this.fsync = fsync;
        journal = FileChannel.open(journalFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        serverSocket = new ServerSocket();
        serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        for (int i = 0; i < WORKERS; i++)
        {
            pool.execute(this::work);
        }
        acceptor = new Thread(this::accept, "conventional-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port()
    {
        return serverSocket.getLocalPort();
    }

    /** Requests answered so far. */
    public long handled()
    {
        return handled.get();
    }

    /** Requests that failed (unparseable, or the journal write failed). */
    public long errors()
    {
        return errors.get();
    }

    /** Replies that could not be written back: the client had closed the connection. */
    public long undelivered()
    {
        return undelivered.get();
    }

    private void accept()
    {
        while (running)
        {
            try
            {
                final Socket socket = serverSocket.accept();
                socket.setTcpNoDelay(true);
                final Connection connection = new Connection(socket);
                synchronized (connections)
                {
                    connections.add(connection);
                }
                final Thread reader = new Thread(() -> read(connection), "conventional-reader");
                reader.setDaemon(true);
                reader.start();
            }
            catch (final IOException ex)
            {
                if (running)
                {
                    errors.incrementAndGet();
                }
            }
        }
    }

    /** The socket reader: one line, one job on the queue (blocking when the pool is behind). */
    private void read(final Connection connection)
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(connection.socket.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while (running && (line = in.readLine()) != null)
            {
                queue.put(new Job(connection, line));
            }
        }
        catch (final IOException ex)
        {
            // the client went away
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** A pool thread: take a request, decide, journal it durably, reply. */
    private void work()
    {
        while (running)
        {
            final Job job;
            try
            {
                job = queue.take();
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            try
            {
                final JsonMessages.Request request = mapper.readValue(job.line(), JsonMessages.Request.class);
                final JsonMessages.Reply reply = JsonMessages.decide(model, request);
                final byte[] replyLine = (mapper.writeValueAsString(reply) + "\n").getBytes(StandardCharsets.UTF_8);
                final byte[] record = (job.line() + "\n" + new String(replyLine, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                journal.write(ByteBuffer.wrap(record));
                if (fsync)
                {
                    journal.force(false);
                }
                handled.incrementAndGet();
                try
                {
                    job.connection().send(replyLine);
                }
                catch (final IOException ex)
                {
                    undelivered.incrementAndGet();
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                if (running)
                {
                    errors.incrementAndGet();
                }
            }
        }
    }

    @Override
    public void close() throws IOException
    {
        running = false;
        serverSocket.close();
        pool.shutdownNow();
        try
        {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        synchronized (connections)
        {
            for (final Connection connection : connections)
            {
                connection.close();
            }
        }
        journal.close();
    }

    private static java.util.concurrent.ThreadFactory daemon(final String name)
    {
        return runnable ->
        {
            final Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One client connection; replies from the pool threads are written one at a time. */
    private static final class Connection
    {
        private final Socket socket;
        private final OutputStream out;

        Connection(final Socket socket) throws IOException
        {
            this.socket = socket;
            this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        }

        synchronized void send(final byte[] line) throws IOException
        {
            out.write(line);
            out.flush();
        }

        void close()
        {
            try
            {
                socket.close();
            }
            catch (final IOException ignore)
            {
                // closing anyway
            }
        }
    }
}
