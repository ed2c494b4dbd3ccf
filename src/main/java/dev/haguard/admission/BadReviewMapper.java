package dev.haguard.admission;

import dev.haguard.codec.BadReviewException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import org.jboss.logging.Logger;

/** A malformed review is the caller's mistake: HTTP 400 with a JSON message naming what is wrong. */
@Provider
public class BadReviewMapper implements ExceptionMapper<BadReviewException> {

    private static final Logger LOG = Logger.getLogger(BadReviewMapper.class);

    @Override
    public Response toResponse(BadReviewException e) {
        LOG.warnf("refused a malformed AdmissionReview: %s", e.getMessage());
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("code", 400, "message", "malformed AdmissionReview: " + e.getMessage())).build();
    }
}
