package com.rewards.platform.openapi;

import com.rewards.platform.error.Problem;
import com.rewards.platform.security.Roles;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * What every service's OpenAPI document shares, so that resources carry no OpenAPI boilerplate:
 *
 * <ul>
 *   <li><b>Errors.</b> Every error is {@code application/problem+json} ({@link Problem}, from the
 *       platform's ProblemMappers), so every 4xx/5xx response the scanner produced (the 400 it adds
 *       for operations with input, the 401/403 it adds for {@code @RolesAllowed}) gets that
 *       content, and every operation gets a {@code default} problem response for the codes not
 *       listed (404, 409, 429, 503, ...; the gateway's own 413/429/502 are the same shape).
 *   <li><b>Security.</b> For {@code @RolesAllowed} the scanner adds {@code {"SecurityScheme":
 *       [roles]}} (a scheme it never defines, or one of the service's own). A role is a credential
 *       here, so each role becomes its own alternative requirement with a scheme of the same name:
 *       {@code user}, {@code server}, {@code operator} are defined below; a service's own roles
 *       (referral's API key and client JWTs) are defined by that service with
 *       {@code @SecurityScheme}. A role with no scheme fails the build rather than documenting a
 *       credential nobody can find. An open operation gets {@code security: []}: none needed, said
 *       outright.
 * </ul>
 *
 * Runs at build time, so the document each service stores in {@code target/openapi} (merged for the
 * gateway by {@code gateway/merge-openapi}) is the one it serves at {@code /q/openapi}.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class PlatformOpenApiFilter implements OASFilter {
  /** The name SmallRye gives the requirement it derives from {@code @RolesAllowed}. */
  static final String SCANNED_SCHEME = "SecurityScheme";

  static final String PROBLEM = "Problem";
  static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;

  /** Role {@code user} may also send its token the way document 003 does. */
  static final String USER_TOKEN_HEADER = "user-jwt-token";

  @Override
  public void filterOpenAPI(OpenAPI api) {
    Components components = api.getComponents();
    if (components == null) {
      components = OASFactory.createComponents();
      api.setComponents(components);
    }
    components.addSchema(PROBLEM, problemSchema());

    Set<String> used = new TreeSet<>();
    if (api.getPaths() != null && api.getPaths().getPathItems() != null) {
      for (PathItem item : api.getPaths().getPathItems().values()) {
        if (item.getOperations() == null) {
          continue;
        }
        for (Operation op : item.getOperations().values()) {
          op.setSecurity(security(op.getSecurity(), used));
          problemResponses(op);
        }
      }
    }

    Map<String, SecurityScheme> defined = new TreeMap<>(platformSchemes());
    if (components.getSecuritySchemes() != null) {
      defined.putAll(components.getSecuritySchemes());
    }
    defined.remove(SCANNED_SCHEME); // the scanner's placeholder is no credential
    Map<String, SecurityScheme> schemes = new LinkedHashMap<>();
    for (String name : used) {
      SecurityScheme scheme = defined.get(name);
      if (scheme == null) {
        throw new IllegalStateException(
            "OpenAPI: an operation requires credential '"
                + name
                + "' but no security scheme of that name is defined; add"
                + " @SecurityScheme(securitySchemeName = \""
                + name
                + "\", ...) to a resource of the service");
      }
      schemes.put(name, scheme);
    }
    // Only what the operations use: a partner reading one service sees its credentials only.
    components.setSecuritySchemes(schemes.isEmpty() ? null : schemes);
  }

  /**
   * The scanner's {"SecurityScheme": [r1, r2]} becomes [{r1: []}, {r2: []}] (r1 OR r2). It names
   * the requirement "SecurityScheme", or the first scheme a service defines itself, so a
   * requirement is recognised by its roles (scopes), which only the scanner fills in here.
   */
  private static List<SecurityRequirement> security(
      List<SecurityRequirement> requirements, Set<String> used) {
    if (requirements == null || requirements.isEmpty()) {
      // Open (@PermitAll, or nothing): said outright, not left for the reader to guess.
      return new ArrayList<>();
    }
    List<SecurityRequirement> result = new ArrayList<>();
    for (SecurityRequirement requirement : requirements) {
      Map<String, List<String>> schemes =
          requirement.getSchemes() == null ? Map.of() : requirement.getSchemes();
      List<String> roles =
          schemes.values().stream().filter(r -> r != null).flatMap(List::stream).toList();
      if (roles.isEmpty()) {
        // Written by hand (@SecurityRequirement): already names its schemes.
        result.add(requirement);
        used.addAll(schemes.keySet());
        continue;
      }
      for (String role : roles) {
        result.add(OASFactory.createSecurityRequirement().addScheme(role));
        used.add(role);
        if (role.equals(Roles.USER)) {
          result.add(OASFactory.createSecurityRequirement().addScheme(USER_TOKEN_HEADER));
          used.add(USER_TOKEN_HEADER);
        }
      }
    }
    return result;
  }

  private static void problemResponses(Operation op) {
    APIResponses responses = op.getResponses();
    if (responses == null) {
      responses = OASFactory.createAPIResponses();
      op.setResponses(responses);
    }
    if (responses.getAPIResponses() != null) {
      for (Map.Entry<String, APIResponse> e : responses.getAPIResponses().entrySet()) {
        String code = e.getKey();
        APIResponse response = e.getValue();
        boolean error = code.startsWith("4") || code.startsWith("5") || code.equals("default");
        if (!error || response.getRef() != null) {
          continue;
        }
        if (response.getContent() == null || response.getContent().getMediaTypes() == null) {
          response.setContent(problemContent());
        }
        String description = errorDescription(code);
        if (description != null) {
          response.setDescription(description);
        }
      }
    }
    if (responses.getDefaultValue() == null) {
      responses.setDefaultValue(
          OASFactory.createAPIResponse()
              .description(
                  "Any other error, as problem+json with a stable `code` (e.g. 404"
                      + " RECORD_NOT_FOUND, 409, 429 TOO_MANY_REQUESTS, 503 SERVICE_UNAVAILABLE,"
                      + " 500 INTERNAL_ERROR).")
              .content(problemContent()));
    }
  }

  /** The scanner's descriptions ("Not Authorized", "Not Allowed") say less than these. */
  private static String errorDescription(String code) {
    return switch (code) {
      case "400" -> "The request is not valid (see `code`; `errors` lists the fields).";
      case "401" -> "Credentials missing, invalid, expired or revoked (code UNAUTHORIZED).";
      case "403" ->
          "Forbidden: the credentials may not use this operation (FORBIDDEN), or it refuses"
              + " this request (see `code`).";
      default -> null;
    };
  }

  private static Content problemContent() {
    return OASFactory.createContent()
        .addMediaType(
            Problem.MEDIA_TYPE,
            OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF)));
  }

  /** {@link Problem} as its JSON reads; services may add members (referral's Advocate ones). */
  static Schema problemSchema() {
    return OASFactory.createSchema()
        .addType(Schema.SchemaType.OBJECT)
        .description(
            "RFC 9457 problem details. `code` is stable and meant for programs; `title` and"
                + " `detail` are for people. Document 001's routes (/api/v1/...) also carry"
                + " `statusCode`, `message` and `apiErrorCode` (the same status, detail, code).")
        .required(List.of("type", "title", "status", "code"))
        .addProperty("type", string("Always about:blank."))
        .addProperty("title", string("The HTTP status's reason phrase."))
        .addProperty(
            "status",
            OASFactory.createSchema()
                .addType(Schema.SchemaType.INTEGER)
                .description("The HTTP status code."))
        .addProperty("code", string("Stable error code, e.g. UNAUTHORIZED, RECORD_NOT_FOUND."))
        .addProperty("detail", string("What went wrong, for a person."))
        .addProperty("instance", string(null))
        .addProperty(
            "errors",
            OASFactory.createSchema()
                .addType(Schema.SchemaType.ARRAY)
                .description("Validation failures, one per field (400 only).")
                .items(
                    OASFactory.createSchema()
                        .addType(Schema.SchemaType.OBJECT)
                        .addProperty("field", string(null))
                        .addProperty("message", string(null))));
  }

  private static Schema string(String description) {
    return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
  }

  /** The credentials the platform itself issues or checks. */
  static Map<String, SecurityScheme> platformSchemes() {
    Map<String, SecurityScheme> schemes = new TreeMap<>();
    schemes.put(
        Roles.USER,
        OASFactory.createSecurityScheme()
            .type(SecurityScheme.Type.HTTP)
            .scheme("bearer")
            .bearerFormat("JWT")
            .description(
                "A user token (role user), signed by auth-service: the `userToken` that"
                    + " POST /user/clientcheckcredentials or a provider sign-in answers."
                    + " `Authorization: Bearer <token>`."));
    schemes.put(
        USER_TOKEN_HEADER,
        OASFactory.createSecurityScheme()
            .type(SecurityScheme.Type.APIKEY)
            .in(SecurityScheme.In.HEADER)
            .name(USER_TOKEN_HEADER)
            .description(
                "The same user token in document 003's header (the value may start with"
                    + " `Bearer `); accepted wherever a user token is."));
    schemes.put(
        Roles.SERVER,
        OASFactory.createSecurityScheme()
            .type(SecurityScheme.Type.HTTP)
            .scheme("bearer")
            .bearerFormat("JWT")
            .description(
                "A partner server token (role server): POST /auth/token with the partner's"
                    + " client id and secret (client credentials). `Authorization: Bearer"
                    + " <token>`."));
    schemes.put(
        Roles.OPERATOR,
        OASFactory.createSecurityScheme()
            .type(SecurityScheme.Type.APIKEY)
            .in(SecurityScheme.In.HEADER)
            .name("X-Operator-Key")
            .description("The platform operator's key, from auth-service's configuration."));
    return schemes;
  }
}
