/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/**
 * Session lifetimes for Spring Boot applications: the API that applications use, namely
 * the {@link dev.sessiontimeout.RequiresPrivilegedSession} annotation, the
 * {@link dev.sessiontimeout.ExpiryReason reasons} a session ends or its user must
 * authenticate again, the per-session policy override and the events.
 */
@NullMarked
package dev.sessiontimeout;

import org.jspecify.annotations.NullMarked;
