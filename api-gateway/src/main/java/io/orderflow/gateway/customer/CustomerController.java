package io.orderflow.gateway.customer;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.orderflow.gateway.web.Caller;
import io.orderflow.customer.api.CustomerCommands.ChangeBillingAddressCommand;
import io.orderflow.customer.api.CustomerCommands.ChangeShippingAddressCommand;
import io.orderflow.customer.api.CustomerCommands.CustomerWriteResult;
import io.orderflow.customer.api.CustomerCommands.EraseCustomerCommand;
import io.orderflow.customer.api.CustomerCommands.RegisterCustomerCommand;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.gateway.web.AddressBody;
import io.orderflow.gateway.web.Commands;
import io.orderflow.gateway.web.ForbiddenException;
import io.orderflow.gateway.web.NotFoundException;
import io.orderflow.gateway.web.ReadYourWrites;
import io.orderflow.gateway.web.RequestFields;
import io.orderflow.gateway.web.TraceIds;
import io.orderflow.projections.api.CustomerView;
import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.projections.api.FindCustomerQuery;
import io.orderflow.wiring.audit.Audited;
import io.orderflow.wiring.security.Roles;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The customer-profile endpoints of the public API (docs/api.md): registration and address changes are commands
 * answered with the profile version; reading is a query on the customer projection, with read-your-writes.
 */
@RestController
@RequestMapping(path = "/api/customers", produces = MediaType.APPLICATION_JSON_VALUE)
class CustomerController {

    private final Commands commands;
    private final QueryGateway queryGateway;
    private final Supplier<UUID> idGenerator;
    private final ReadYourWrites readYourWrites;
    private final Caller callers;

    CustomerController(Commands commands, QueryGateway queryGateway, Supplier<UUID> idGenerator,
                       ReadYourWrites readYourWrites, Caller callers) {
        this.commands = commands;
        this.queryGateway = queryGateway;
        this.idGenerator = idGenerator;
        this.readYourWrites = readYourWrites;
        this.callers = callers;
    }

    @Operation(operationId = "registerCustomer", summary = "Register a customer")
    @ApiResponse(responseCode = "201", description = "Registered; Location names the new customer",
            headers = @Header(name = "Location", description = "the new customer's path",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "503", description = "The outcome is not known yet")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Written> register(@RequestBody RegisterRequest request,
                                     @RequestAttribute(TraceIds.ATTRIBUTE) String traceId) {
        RequestFields fields = new RequestFields();
        fields.requireBody(request);
        String name = fields.require("name", request.name())
                ? fields.readValue("", () -> RegisterCustomerCommand.validName(request.name())) : null;
        String email = fields.require("email", request.email())
                ? fields.readValue("", () -> RegisterCustomerCommand.validEmail(request.email())) : null;
        PostalAddress shipping = fields.require("shippingAddress", request.shippingAddress())
                ? request.shippingAddress().read("shippingAddress", fields) : null;
        PostalAddress billing = request.billingAddress() == null ? null
                : request.billingAddress().read("billingAddress", fields);
        fields.throwIfInvalid();
        CustomerWriteResult result = commands.send(
                new RegisterCustomerCommand(new CustomerId(idGenerator.get()), name, email, shipping, billing),
                traceId);
        return ResponseEntity.created(URI.create("/api/customers/" + result.customerId()))
                .body(new Written(result.customerId().toString(), result.version()));
    }

    @Operation(operationId = "changeShippingAddress", summary = "Change the shipping address",
            description = "Orders placed afterwards are shipped to the new address; each change has a version that "
                    + "orders can name.")
    @ApiResponse(responseCode = "200", description = "Changed; the customer's new version")
    @ApiResponse(responseCode = "404", description = "No customer with this id, or another customer's")
    @ApiResponse(responseCode = "409", description = "The customer was erased: an erased profile takes no changes")
    @ApiResponse(responseCode = "503", description = "The outcome is not known yet")
    @PutMapping(path = "/{customerId}/shipping-address", consumes = MediaType.APPLICATION_JSON_VALUE)
    Written changeShippingAddress(@PathVariable UUID customerId, @RequestBody AddressBody body,
                                  @RequestAttribute(TraceIds.ATTRIBUTE) String traceId) {
        requireActingFor(customerId);
        return changeAddress(body, address -> new ChangeShippingAddressCommand(new CustomerId(customerId), address),
                traceId);
    }

    @Operation(operationId = "changeBillingAddress", summary = "Change the billing address")
    @ApiResponse(responseCode = "200", description = "Changed; the customer's new version")
    @ApiResponse(responseCode = "404", description = "No customer with this id, or another customer's")
    @ApiResponse(responseCode = "409", description = "The customer was erased: an erased profile takes no changes")
    @ApiResponse(responseCode = "503", description = "The outcome is not known yet")
    @PutMapping(path = "/{customerId}/billing-address", consumes = MediaType.APPLICATION_JSON_VALUE)
    Written changeBillingAddress(@PathVariable UUID customerId, @RequestBody AddressBody body,
                                 @RequestAttribute(TraceIds.ATTRIBUTE) String traceId) {
        requireActingFor(customerId);
        return changeAddress(body, address -> new ChangeBillingAddressCommand(new CustomerId(customerId), address),
                traceId);
    }

    @Operation(operationId = "eraseCustomer", summary = "Erase a customer's personal data",
            description = "Deletes the customer's data key (crypto-shredding, docs/adr/0032): their name, e-mail "
                    + "address and addresses can no longer be read anywhere they were kept, in replays too, and no "
                    + "e-mail is sent to them any more. Orders and invoices stay, with the personal fields erased. "
                    + "The customer themself or an operator; erasing again answers the same version.")
    @ApiResponse(responseCode = "200", description = "Erased; the customer's version, which reads with minVersion "
            + "wait for")
    @ApiResponse(responseCode = "403", description = "Neither the customer nor an operator")
    @ApiResponse(responseCode = "404", description = "No customer with this id, or another customer's")
    @ApiResponse(responseCode = "503", description = "The outcome is not known yet")
    @Audited("customer.erase")
    @DeleteMapping("/{customerId}")
    Written erase(@PathVariable UUID customerId, @RequestAttribute(TraceIds.ATTRIBUTE) String traceId) {
        CustomerId customer = new CustomerId(customerId);
        Caller.Identity caller = callers.current();
        caller.requireActingFor(customer, "no customer " + customerId);
        boolean themself = customer.equals(caller.customer());
        if (!themself && !caller.roles().contains(Roles.OPERATOR)) {
            throw new ForbiddenException("only the customer themself or an operator may erase a customer's "
                    + "personal data");
        }
        String requestedBy = themself ? "the customer" : "operator " + caller.subject();
        CustomerWriteResult result = commands.send(new EraseCustomerCommand(customer, requestedBy), traceId);
        return new Written(result.customerId().toString(), result.version());
    }

    @Operation(operationId = "getCustomer", summary = "Read a customer",
            description = "From the customer-profile projection; minVersion waits for a change just made.")
    @ApiResponse(responseCode = "200", description = "The customer")
    @ApiResponse(responseCode = "404", description = "No customer with this id, or another customer's")
    @GetMapping("/{customerId}")
    CompletableFuture<ResponseEntity<CustomerView>> get(@PathVariable UUID customerId,
                                                        @RequestParam(required = false) Long minVersion) {
        requireActingFor(customerId);
        return readYourWrites.read(ProjectionProcessors.CUSTOMER_PROFILE, customerId, () -> find(customerId),
                CustomerView::version, minVersion).thenApply(read -> {
                    CustomerView found = read.view().orElseThrow(() -> new NotFoundException("no customer "
                            + customerId + (minVersion != null
                            ? " yet; if it was just registered, it may still be on its way" : "")));
                    return ResponseEntity.ok().headers(read.headers()).body(found);
                });
    }

    /** A customer sees and changes only their own profile; another's does not exist for them. */
    private void requireActingFor(UUID customerId) {
        callers.current().requireActingFor(new CustomerId(customerId), "no customer " + customerId);
    }

    private Written changeAddress(AddressBody body, Function<PostalAddress, Object> command, String traceId) {
        RequestFields fields = new RequestFields();
        fields.requireBody(body);
        PostalAddress address = body.read("", fields);
        fields.throwIfInvalid();
        CustomerWriteResult result = commands.send(command.apply(address), traceId);
        return new Written(result.customerId().toString(), result.version());
    }

    private Optional<CustomerView> find(UUID customerId) {
        try {
            return queryGateway.query(new FindCustomerQuery(new CustomerId(customerId)),
                    ResponseTypes.optionalInstanceOf(CustomerView.class)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading customer " + customerId, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading customer " + customerId + " failed", e.getCause());
        }
    }

    /** The body of {@code POST /api/customers}, exactly as the client sent it. */
    record RegisterRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String name,
                           @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String email,
                           @Schema(requiredMode = Schema.RequiredMode.REQUIRED) AddressBody shippingAddress,
                           @Schema(description = "the shipping address when absent") AddressBody billingAddress) {
    }

    /** The answer to a customer command. */
    record Written(String customerId, long version) {
    }
}
