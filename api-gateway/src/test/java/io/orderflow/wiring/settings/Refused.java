package io.orderflow.wiring.settings;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * The keys a failed start refused, as an operator reads them in Spring Boot's report ({@code orderflow.api.x: why}).
 * The modules' tests have the same in test-fixtures, which this module's tests do not depend on.
 */
final class Refused {

    private Refused() {
    }

    static List<String> keys(Throwable failure) {
        List<String> refused = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindValidationException validation) {
                ValidationErrors errors = validation.getValidationErrors();
                for (ObjectError error : errors.getAllErrors()) {
                    String key = error instanceof FieldError field
                            ? errors.getName() + "." + DataObjectPropertyName.toDashedForm(field.getField())
                            : errors.getName().toString();
                    refused.add(key + ": " + error.getDefaultMessage());
                }
                return refused;
            }
            if (cause instanceof BindException binding && !(binding.getCause() instanceof BindValidationException)) {
                refused.add(binding.getName() + ": " + binding.getCause().getMessage());
                return refused;
            }
        }
        return refused;
    }
}
